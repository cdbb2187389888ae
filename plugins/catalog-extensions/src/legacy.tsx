import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { CatalogExtensionsClient } from '@fawkes/plugin-catalog-extensions-common';
import { catalogExtensionsApiRef } from './api/CatalogExtensionsApi';

const legacyRootRouteRef = createRouteRef({ id: 'catalog-extensions' });

/**
 * The catalog-extensions plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const catalogExtensionsLegacyPlugin = createPlugin({
  id: 'catalog-extensions',
  apis: [
    createApiFactory({
      api: catalogExtensionsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new CatalogExtensionsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: legacyRootRouteRef },
});

/**
 * Legacy system: the page (`<Route path="/register-component" element={<RegisterComponentPage />} />`).
 *
 * @public
 */
export const RegisterComponentPage = catalogExtensionsLegacyPlugin.provide(
  createRoutableExtension({
    name: 'RegisterComponentPage',
    component: () =>
      import('./components/RegisterComponentPage').then(m => () => <m.RegisterComponentPage />),
    mountPoint: legacyRootRouteRef,
  }),
);
