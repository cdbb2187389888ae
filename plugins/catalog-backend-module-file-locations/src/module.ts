import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogLocationsExtensionPoint } from '@backstage/plugin-catalog-node';

/**
 * Lets the core catalog accept `file` locations next to `url` ones (its default is `url`
 * only), which `POST /api/catalog-extensions/locations` with `type: file` needs.
 * `catalog.fawkes-file-locations`, the package's default export.
 *
 * This also opens `file` registration on the core catalog's own `POST /api/catalog/locations`,
 * which has no notion of allowed roots: restrict `catalog.location.create` with a permission
 * policy, or keep this module out of production.
 *
 * @public
 */
export const catalogModuleFileLocations = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'fawkes-file-locations',
  register(env) {
    env.registerInit({
      deps: { locations: catalogLocationsExtensionPoint },
      async init({ locations }) {
        locations.setAllowedLocationTypes(['url', 'file']);
      },
    });
  },
});
