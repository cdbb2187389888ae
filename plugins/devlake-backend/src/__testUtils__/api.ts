import { createOpenApiResponseChecker } from '@fawkes/plugin-api-guard-node/testUtils';
import request from 'supertest';
import { loadOpenApiDocument } from '../schema/openapi';

/** Throws unless a response's operation, status and body are what the OpenAPI document says. */
export const checkAgainstDocument = createOpenApiResponseChecker(loadOpenApiDocument(), {
  basePath: '/api/devlake',
});

/**
 * supertest on a test backend, with every response checked against the plugin's OpenAPI
 * document, so that the code and the document cannot drift apart.
 */
export function api(server: Parameters<typeof request>[0]) {
  return {
    get: (path: string) => request(server).get(path).expect(checkAgainstDocument),
    post: (path: string) => request(server).post(path).expect(checkAgainstDocument),
  };
}
