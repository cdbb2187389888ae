import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { CatalogExtensionsClient } from '@fawkes/plugin-catalog-extensions-common';
import { RiFileAddLine } from '@remixicon/react';
import { catalogExtensionsApiRef } from './api/CatalogExtensionsApi';

export const rootRouteRef = createRouteRef();

/** catalogExtensionsApiRef on the -common client, with the app's discovery and fetch (user token). */
const catalogExtensionsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: catalogExtensionsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new CatalogExtensionsClient({ discoveryApi, fetchApi }),
    }),
});

/** "Register a component", with its nav item (the page's title and icon). */
const registerPage = PageBlueprint.make({
  params: {
    path: '/register-component',
    title: 'Register a component',
    icon: <RiFileAddLine />,
    routeRef: rootRouteRef,
    loader: () => import('./components/RegisterComponentPage').then(m => <m.RegisterComponentPage />),
  },
});

/**
 * The catalog-extensions frontend plugin (new frontend system).
 *
 * @public
 */
export const catalogExtensionsPlugin = createFrontendPlugin({
  pluginId: 'catalog-extensions',
  title: 'Register a component',
  info: { packageJson: () => import('../package.json') },
  routes: { root: rootRouteRef },
  extensions: [catalogExtensionsApi, registerPage],
});
