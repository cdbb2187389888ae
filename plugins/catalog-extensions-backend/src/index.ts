/**
 * Fawkes catalog-extensions backend plugin: validated location registration and entity
 * queries over the core Backstage catalog, at `/api/catalog-extensions`.
 *
 * The catalog module that enables `file` locations is a separate package,
 * `@fawkes/plugin-catalog-backend-module-file-locations`.
 *
 * @packageDocumentation
 */
export { catalogExtensionsPlugin as default } from './plugin';
