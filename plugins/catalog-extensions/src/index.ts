/**
 * Register catalog components with a validated dry-run preview.
 *
 * The default export is the plugin for Backstage's new frontend system; the named
 * `catalogExtensionsLegacyPlugin` and `RegisterComponentPage` are for apps on the legacy system.
 *
 * @packageDocumentation
 */
export { catalogExtensionsPlugin as default } from './plugin';
export { catalogExtensionsLegacyPlugin, RegisterComponentPage } from './legacy';
export { catalogExtensionsApiRef } from './api/CatalogExtensionsApi';
export type { CatalogExtensionsApi } from './api/CatalogExtensionsApi';
