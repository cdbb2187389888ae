import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import express, { RequestHandler, Router } from 'express';
import { setCaller, toCaller } from './caller';
import { OpenApiDocument } from './openApiDocument';
import { assignRequestId } from './requestId';
import { createErrorRenderer, notFoundHandler } from './errors/renderError';
import { createRateLimiters, RateLimiters } from './rateLimit/createRateLimiters';
import { readRateLimitConfig } from './rateLimit/readRateLimitConfig';

/**
 * The guard a plugin puts in front of its routes.
 *
 * @public
 */
export interface ApiGuard {
  /**
   * Mounts the plugin's router behind the guard on the plugin's `httpRouter`: every route
   * is authenticated (user session or service token), charged to the caller's rate-limit
   * budget, parsed as JSON within the size cap, and every error — 401 and 429 included —
   * is rendered as `{"error": "..."}`, and every response carries the request's
   * `X-Request-Id` (see `getRequestId`). This is the only way the plugins add routes.
   * With `openApi`, the plugin's OpenAPI document is served at `GET /openapi.json`.
   */
  mount(router: Router, options?: { openApi?: OpenApiDocument }): void;
}

/**
 * The process-wide half of the guard: one set of budgets shared by every plugin.
 *
 * @public
 */
export const apiGuardRateLimitServiceRef = createServiceRef<RateLimiters>({
  id: 'fawkes.api-guard.rate-limits',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.rootLogger,
        lifecycle: coreServices.rootLifecycle,
      },
      async factory({ config, logger, lifecycle }) {
        const rateLimitConfig = readRateLimitConfig(config);
        const guardLogger = logger.child({ service: 'api-guard' });
        const limiters = createRateLimiters(rateLimitConfig, guardLogger);
        lifecycle.addShutdownHook(() => limiters.close());
        guardLogger.info(
          `Rate limits per ${rateLimitConfig.windowMs / 1000}s: users ${rateLimitConfig.userLimit}, services ${rateLimitConfig.serviceLimit}, unauthenticated requests ${rateLimitConfig.unauthenticatedLimit} per client address; ${rateLimitConfig.store.type} store`,
        );
        // Let the first requests find the store connected rather than answer 503; a Redis
        // that cannot be reached holds up start-up no longer than one connect timeout.
        if (!(await limiters.whenReady())) {
          guardLogger.warn('Rate-limit store not connected yet; guarded requests answer 503 until it is');
        }
        return limiters;
      },
    }),
});

/**
 * The guard for one plugin; depend on it with `deps: { guard: apiGuardServiceRef }`.
 *
 * @public
 */
export const apiGuardServiceRef = createServiceRef<ApiGuard>({
  id: 'fawkes.api-guard',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        limits: apiGuardRateLimitServiceRef,
      },
      factory({ config, httpAuth, httpRouter, logger, limits }): ApiGuard {
        const maxBodySize = config.getOptional<string | number>('apiGuard.maxBodySize') ?? '100kb';

        // One middleware for the per-request steps (request id, authentication, rate limit):
        // one router layer instead of three on every request.
        const guard: RequestHandler = (req, res, next) => {
          // First, so that every answer (401 and 429 included) carries the request's id.
          assignRequestId(req, res);
          httpAuth.credentials(req, { allow: ['user', 'service'] }).then(
            credentials => {
              setCaller(req, toCaller(credentials));
              limits.middleware(req, res, next);
            },
            // A failed authentication is charged to the client address (429 once spent), so
            // token guessing and unauthenticated floods are bounded too.
            authError => limits.unauthenticated(req, res, limitError => next(limitError ?? authError)),
          );
        };

        return {
          mount(router, options) {
            // The guard authenticates itself so that 401s carry the API document's body;
            // Backstage's own barrier would answer first with its different shape.
            httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
            const guarded = Router();
            guarded.use(guard);
            guarded.use(express.json({ limit: maxBodySize }));
            const openApi = options?.openApi;
            if (openApi) {
              guarded.get('/openapi.json', (_req, res) => {
                res.json(openApi);
              });
            }
            guarded.use(router);
            guarded.use(notFoundHandler);
            guarded.use(createErrorRenderer(logger));
            httpRouter.use(guarded);
          },
        };
      },
    }),
});
