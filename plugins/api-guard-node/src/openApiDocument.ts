import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * An OpenAPI 3.1 document as a JSON object.
 *
 * @public
 */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, any>>;
  components?: Record<string, any>;
  [key: string]: any;
}

const documents = new Map<string, OpenApiDocument>();

/**
 * Reads a plugin's `src/schema/openapi.yaml` (ship it in the package's `files`), the document
 * the plugin serves at `GET /openapi.json`, validates requests with, and tests its responses
 * against. Each call returns a fresh copy, because request validators annotate the document.
 *
 * @public
 */
export function readOpenApiDocument(packageName: string, path = 'src/schema/openapi.yaml'): OpenApiDocument {
  const key = `${packageName}:${path}`;
  let document = documents.get(key);
  if (!document) {
    document = parse(readFileSync(resolvePackagePath(packageName, path), 'utf8')) as OpenApiDocument;
    documents.set(key, document);
  }
  return structuredClone(document);
}
