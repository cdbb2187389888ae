/**
 * Fawkes catalog-extensions backend plugin: validated location registration and entity
 * queries over the core Backstage catalog, at `/api/catalog-extensions`.
 *
 * @packageDocumentation
 */
export { catalogExtensionsPlugin as default } from './plugin';
export { catalogModuleFileLocations } from './modules/catalogModuleFileLocations';
