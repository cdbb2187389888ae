/**
 * Launch and manage Eclipse Che cloud development environments from Backstage.
 *
 * The default export is the plugin for Backstage's new frontend system; the named
 * `cheLauncherLegacyPlugin`, `EntityCheCard` and `CheWorkspacesPage` are for apps on the legacy
 * system.
 *
 * @packageDocumentation
 */
export { cheLauncherPlugin as default } from './plugin';
export { cheLauncherLegacyPlugin, EntityCheCard, CheWorkspacesPage } from './legacy';
export { cheLauncherApiRef } from './api/CheLauncherApi';
export type { CheLauncherApi } from './api/CheLauncherApi';
export {
  CHE_DEVFILE_ANNOTATION,
  CHE_DEVFILE_URL_ANNOTATION,
  CHE_ENABLED_ANNOTATION,
  entityDevfileSource,
  isCheAvailable,
} from './components/annotations';
export type { EntityDevfileSource } from './components/annotations';
