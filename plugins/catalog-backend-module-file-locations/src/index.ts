/**
 * A catalog backend module that lets the core catalog accept `file` locations, for
 * `POST /api/catalog-extensions/locations` with `type: file`:
 * `backend.add(import('@fawkes/plugin-catalog-backend-module-file-locations'))`.
 *
 * @packageDocumentation
 */
export { catalogModuleFileLocations as default } from './module';
