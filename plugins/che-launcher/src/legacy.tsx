import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { CheLauncherClient } from '@fawkes/plugin-che-launcher-common';
import { cheLauncherApiRef } from './api/CheLauncherApi';

const legacyRootRouteRef = createRouteRef({ id: 'che-launcher' });

/**
 * The che-launcher plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const cheLauncherLegacyPlugin = createPlugin({
  id: 'che-launcher',
  apis: [
    createApiFactory({
      api: cheLauncherApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new CheLauncherClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: legacyRootRouteRef },
});

/**
 * Legacy system: the "Cloud development environment" card (`<EntitySwitch.Case if={isCheAvailable}>`).
 *
 * @public
 */
export const EntityCheCard = cheLauncherLegacyPlugin.provide(
  createComponentExtension({
    name: 'EntityCheCard',
    component: { lazy: () => import('./components/EntityCheCard').then(m => () => <m.EntityCheCard />) },
  }),
);

/**
 * Legacy system: the "My workspaces" page (`<Route path="/workspaces" element={<CheWorkspacesPage />} />`).
 *
 * @public
 */
export const CheWorkspacesPage = cheLauncherLegacyPlugin.provide(
  createRoutableExtension({
    name: 'CheWorkspacesPage',
    component: () => import('./components/MyWorkspacesPage').then(m => () => <m.MyWorkspacesPage />),
    mountPoint: legacyRootRouteRef,
  }),
);
