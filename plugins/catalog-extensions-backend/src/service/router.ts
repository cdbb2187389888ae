import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { getCaller } from '@fawkes/plugin-api-guard-node';
import { Router } from 'express';
import PromiseRouter from 'express-promise-router';
import { z } from 'zod';
import { parseEntityFields, parseEntityFilter } from '../services/entityQuery';
import { EntityStreamer } from '../services/EntityStreamer';
import { LocationRegistrar } from '../services/LocationRegistrar';
import { LocationStatusReader } from '../services/LocationStatusReader';

export interface RouterOptions {
  logger: LoggerService;
  registrar: LocationRegistrar;
  statusReader: LocationStatusReader;
  streamer: EntityStreamer;
}

const registerBody = z
  .object({
    type: z.enum(['url', 'file']),
    target: z.string().trim().min(1).max(2048),
  })
  .strict();

const registerQuery = z
  .object({ dryRun: z.enum(['true', 'false']).optional() })
  .strict();

const entitiesQuery = z
  .object({ filter: z.unknown().optional(), fields: z.unknown().optional() })
  .strict();

// The catalog's location ids are UUIDs; anything else cannot exist.
const locationId = z.string().uuid();

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue.path.join('.');
    throw new InputError(`Invalid ${what}: ${path ? `${path}: ` : ''}${issue.message}`);
  }
  return result.data;
}

/** The routes; the api guard in front of them authenticates, rate-limits and renders errors. */
export async function createRouter(options: RouterOptions): Promise<Router> {
  const { registrar, statusReader, streamer } = options;
  const router = PromiseRouter();

  router.post('/locations', async (req, res) => {
    const { dryRun } = parse(registerQuery, req.query, 'query');
    if (!req.is('application/json')) {
      throw new InputError('Invalid request: Content-Type must be application/json');
    }
    const body = parse(registerBody, req.body, 'request body');
    const { credentials } = getCaller(req);
    if (dryRun === 'true') {
      res.status(200).json(await registrar.dryRun(body, credentials));
      return;
    }
    res.status(201).json(await registrar.register(body, credentials));
  });

  router.get('/locations/:locationId', async (req, res) => {
    const id = locationId.safeParse(req.params.locationId);
    if (!id.success) throw new InputError('Invalid locationId: expected the UUID returned at registration');
    res.json(await statusReader.get(id.data, getCaller(req).credentials));
  });

  router.get('/entities', async (req, res) => {
    const query = parse(entitiesQuery, req.query, 'query');
    const filter = parseEntityFilter(query.filter);
    const fields = parseEntityFields(query.fields);
    await streamer.stream({ filter, fields }, getCaller(req).credentials, res);
  });

  return router;
}
