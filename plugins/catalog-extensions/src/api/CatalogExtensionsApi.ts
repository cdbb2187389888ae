import { createApiRef } from '@backstage/frontend-plugin-api';
import { CatalogExtensionsClient } from '@fawkes/plugin-catalog-extensions-common';

/**
 * What the catalog-extensions frontend asks its backend (the `-common` client's calls).
 *
 * @public
 */
export type CatalogExtensionsApi = Pick<
  CatalogExtensionsClient,
  'dryRunLocation' | 'registerLocation' | 'getLocationStatus'
>;

/**
 * The catalog-extensions backend's API, for the frontend (implemented by `CatalogExtensionsClient`).
 *
 * @public
 */
export const catalogExtensionsApiRef = createApiRef<CatalogExtensionsApi>({
  id: 'plugin.catalog-extensions.service',
});
