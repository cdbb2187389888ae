import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { CheLauncherClient } from '@fawkes/plugin-che-launcher-common';
import { RiCodeBoxLine } from '@remixicon/react';
import { cheLauncherApiRef } from './api/CheLauncherApi';
import { isCheAvailable } from './components/annotations';

export const rootRouteRef = createRouteRef();

/** cheLauncherApiRef on the -common client, with the app's discovery and fetch (user token). */
const cheLauncherApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: cheLauncherApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new CheLauncherClient({ discoveryApi, fetchApi }),
    }),
});

/** "Cloud development environment" on entities with `eclipse.org/che-enabled` and a devfile. */
const cheCard = EntityCardBlueprint.make({
  name: 'cloud-development-environment',
  params: {
    filter: isCheAvailable,
    loader: () => import('./components/EntityCheCard').then(m => <m.EntityCheCard />),
  },
});

/** "My workspaces", with its nav item (the page's title and icon). */
const workspacesPage = PageBlueprint.make({
  params: {
    path: '/workspaces',
    title: 'My workspaces',
    icon: <RiCodeBoxLine />,
    routeRef: rootRouteRef,
    loader: () => import('./components/MyWorkspacesPage').then(m => <m.MyWorkspacesPage />),
  },
});

/**
 * The che-launcher frontend plugin (new frontend system).
 *
 * @public
 */
export const cheLauncherPlugin = createFrontendPlugin({
  pluginId: 'che-launcher',
  title: 'Workspaces',
  info: { packageJson: () => import('../package.json') },
  routes: { root: rootRouteRef },
  extensions: [cheLauncherApi, cheCard, workspacesPage],
});
