import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint, EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { DevLakeApiClient, devlakeApiRef } from './api/DevLakeApi';
import { isDevLakeAvailable, isDevLakeTeam } from './components/annotations';

export const rootRouteRef = createRouteRef();

/** devlakeApiRef on the -common client, with the app's discovery and fetch (user token). */
const devlakeApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: devlakeApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new DevLakeApiClient({ discoveryApi, fetchApi }),
    }),
});

/** The DORA card on the overview of components with a DevLake project. */
const doraCard = EntityCardBlueprint.make({
  name: 'dora',
  params: {
    filter: isDevLakeAvailable,
    loader: () => import('./components/DoraMetricsContent').then(m => <m.EntityDoraCard />),
  },
});

/** The "DORA Metrics" tab of such components. */
const doraContent = EntityContentBlueprint.make({
  name: 'dora',
  params: {
    path: 'dora',
    title: 'DORA Metrics',
    filter: isDevLakeAvailable,
    loader: () => import('./components/DoraMetricsContent').then(m => <m.EntityDoraContent />),
  },
});

/** The "DORA Metrics" tab of Group entities: the team and its services. */
const teamContent = EntityContentBlueprint.make({
  name: 'team-dora',
  params: {
    path: 'dora',
    title: 'DORA Metrics',
    filter: isDevLakeTeam,
    loader: () => import('./components/TeamDoraContent').then(m => <m.EntityTeamDoraContent />),
  },
});

const page = PageBlueprint.make({
  params: {
    path: '/devlake',
    title: 'DORA metrics',
    routeRef: rootRouteRef,
    loader: () => import('./components/DevLakePage').then(m => <m.DevLakePage />),
  },
});

/**
 * The devlake frontend plugin (new frontend system).
 *
 * @public
 */
export const devlakePlugin = createFrontendPlugin({
  pluginId: 'devlake',
  info: { packageJson: () => import('../package.json') },
  routes: { root: rootRouteRef },
  extensions: [devlakeApi, doraCard, doraContent, teamContent, page],
});
