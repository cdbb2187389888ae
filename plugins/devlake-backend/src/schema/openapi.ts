import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The plugin's OpenAPI 3.1 document as a JSON object. */
export type OpenApiDocument = {
  openapi: string;
  paths: Record<string, any>;
  components?: Record<string, any>;
  [key: string]: any;
};

let cached: OpenApiDocument | undefined;

/**
 * Loads `src/schema/openapi.yaml` (shipped in the package's `files`): it is served at
 * `GET /openapi.json`, validates requests, and the tests check every response against it.
 * Each call returns a fresh copy, because the request validator annotates the document it gets.
 */
export function loadOpenApiDocument(): OpenApiDocument {
  if (!cached) {
    const file = resolvePackagePath('@fawkes/plugin-devlake-backend', 'src/schema/openapi.yaml');
    cached = parse(readFileSync(file, 'utf8')) as OpenApiDocument;
  }
  return structuredClone(cached);
}
