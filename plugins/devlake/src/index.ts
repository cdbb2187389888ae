/**
 * DORA metrics from Apache DevLake on Backstage entity and team pages.
 *
 * The default export is the plugin for Backstage's new frontend system; the named
 * `devlakeLegacyPlugin`, `EntityDoraCard`, `EntityDoraContent`, `EntityTeamDoraContent` and
 * `DevLakePage` are for apps on the legacy system.
 *
 * @packageDocumentation
 */
export { devlakePlugin as default } from './plugin';
export { devlakeLegacyPlugin, EntityDoraCard, EntityDoraContent, EntityTeamDoraContent, DevLakePage } from './legacy';
export { devlakeApiRef, DevLakeApiClient } from './api/DevLakeApi';
export type { DevLakeApi } from './api/DevLakeApi';
export {
  DEVLAKE_PROJECT_ANNOTATION,
  DEVLAKE_TEAM_ANNOTATION,
  isDevLakeAvailable,
  isDevLakeTeam,
} from './components/annotations';
