import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { DevLakeApiClient, devlakeApiRef } from './api/DevLakeApi';

const legacyRootRouteRef = createRouteRef({ id: 'devlake' });

/**
 * The devlake plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const devlakeLegacyPlugin = createPlugin({
  id: 'devlake',
  apis: [
    createApiFactory({
      api: devlakeApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new DevLakeApiClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: legacyRootRouteRef },
});

/**
 * Legacy system: the DORA card for an entity page (`<EntitySwitch.Case if={isDevLakeAvailable}>`).
 *
 * @public
 */
export const EntityDoraCard = devlakeLegacyPlugin.provide(
  createComponentExtension({
    name: 'EntityDoraCard',
    component: { lazy: () => import('./components/DoraMetricsContent').then(m => m.EntityDoraCard) },
  }),
);

/**
 * Legacy system: the "DORA Metrics" tab content for a component.
 *
 * @public
 */
export const EntityDoraContent = devlakeLegacyPlugin.provide(
  createComponentExtension({
    name: 'EntityDoraContent',
    component: { lazy: () => import('./components/DoraMetricsContent').then(m => m.EntityDoraContent) },
  }),
);

/**
 * Legacy system: the team view for a Group entity page.
 *
 * @public
 */
export const EntityTeamDoraContent = devlakeLegacyPlugin.provide(
  createComponentExtension({
    name: 'EntityTeamDoraContent',
    component: { lazy: () => import('./components/TeamDoraContent').then(m => m.EntityTeamDoraContent) },
  }),
);

/**
 * Legacy system: the plugin page (all projects).
 *
 * @public
 */
export const DevLakePage = devlakeLegacyPlugin.provide(
  createRoutableExtension({
    name: 'DevLakePage',
    component: () => import('./components/DevLakePage').then(m => m.DevLakePage),
    mountPoint: legacyRootRouteRef,
  }),
);
