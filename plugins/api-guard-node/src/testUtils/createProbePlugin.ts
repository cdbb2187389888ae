import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import Router from 'express-promise-router';
import { apiGuardServiceRef } from '../apiGuardService';
import { getCaller } from '../caller';
import { OpenApiDocument } from '../openApiDocument';

/**
 * A minimal guarded plugin for tests and benchmarks: `GET /whoami` echoes the caller,
 * `POST /echo` echoes the JSON body, `GET /missing` throws a 404, `GET /boom` throws an
 * unexpected error. With `openApi`, the document is served at `GET /openapi.json`.
 *
 * @public
 */
export function createProbePlugin(pluginId: string, options?: { openApi?: OpenApiDocument }) {
  return createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: { guard: apiGuardServiceRef, logger: coreServices.logger },
        async init({ guard }) {
          const router = Router();
          router.get('/whoami', (req, res) => {
            const { kind, id } = getCaller(req);
            res.json({ kind, id });
          });
          router.post('/echo', (req, res) => {
            res.json(req.body);
          });
          router.get('/missing', () => {
            throw new NotFoundError('Thing not found');
          });
          router.get('/boom', () => {
            throw new Error('secret connection string postgres://u:p@db');
          });
          guard.mount(router, options);
        },
      });
    },
  });
}
