import { OpenApiDocument, readOpenApiDocument } from '@fawkes/plugin-api-guard-node';

export type { OpenApiDocument };

/** This plugin's OpenAPI 3.1 document (`src/schema/openapi.yaml`), a fresh copy per call. */
export function loadOpenApiDocument(): OpenApiDocument {
  return readOpenApiDocument('@fawkes/plugin-che-launcher-backend');
}
