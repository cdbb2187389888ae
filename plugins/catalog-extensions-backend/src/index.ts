/**
 * Fawkes catalog-extensions backend plugin: validated location registration and entity
 * queries over the core Backstage catalog, at `/api/catalog-extensions`.
 *
 * The catalog module that enables `file` locations is a separate entry point,
 * `@fawkes/plugin-catalog-extensions-backend/catalog-module-file-locations`.
 *
 * @packageDocumentation
 */
export { catalogExtensionsPlugin as default } from './plugin';
