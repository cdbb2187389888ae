import { InputError } from '@backstage/errors';
import { ApiGuard, createGuardedApiRouter, getCaller } from '@fawkes/plugin-api-guard-node';
import { RequestHandler, Router } from 'express';
import { checkEntitiesQuery } from '../services/entityQuery';
import { CatalogEntitiesPassThrough } from '../services/CatalogEntitiesPassThrough';
import { LocationStatusReader } from '../services/LocationStatusReader';
import { RegistrationService } from '../services/RegistrationService';
import { OpenApiDocument } from '../schema/openapi';

export interface RouterOptions {
  /** The plugin's guard; the router is mounted through it. */
  guard: ApiGuard;
  /** The plugin's OpenAPI document; requests are validated against it before the handlers. */
  openApi: OpenApiDocument;
  registrations: RegistrationService;
  statusReader: LocationStatusReader;
  entities: CatalogEntitiesPassThrough;
}

/**
 * A missing or non-JSON Content-Type gets a message that says what to send, where the
 * validator would answer `unsupported media type undefined`.
 */
const requireJsonBody: RequestHandler = (req, _res, next) => {
  if (req.method === 'POST' && req.path === '/locations' && !req.is('application/json')) {
    throw new InputError('Invalid request: Content-Type must be application/json');
  }
  next();
};

/**
 * The plugin's routes on the shared request path (`createGuardedApiRouter`): the guard, then
 * validation against the OpenAPI document, then the handler, which only translates HTTP to a
 * service call. The services apply the rules the document cannot express (a blank target,
 * filter syntax, field paths, the location id's format), with the same `{"error", "details"}` body. Mounted when this
 * returns.
 */
export function createRouter(options: RouterOptions): Router {
  const { registrations, statusReader, entities } = options;
  const router = createGuardedApiRouter({ guard: options.guard, spec: options.openApi, middleware: [requireJsonBody] });

  router.post('/locations', async (req, res) => {
    const caller = getCaller(req);
    if (req.query.dryRun === 'true') {
      res.status(200).json(await registrations.dryRun(req.body, caller));
    } else {
      res.status(201).json(await registrations.register(req.body, caller));
    }
  });

  router.get('/locations/:locationId', async (req, res) => {
    res.json(await statusReader.get(req.params.locationId, getCaller(req).credentials));
  });

  router.get('/entities', async (req, res) => {
    await entities.stream(checkEntitiesQuery(req.query), getCaller(req).credentials, res);
  });

  return router;
}
