import { InputError } from '@backstage/errors';
import { getCaller, ValidationError } from '@fawkes/plugin-api-guard-node';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { RequestHandler, Router } from 'express';
import { z } from 'zod';
import { parseEntityFields, parseEntityFilter } from '../services/entityQuery';
import { CatalogEntitiesPassThrough } from '../services/CatalogEntitiesPassThrough';
import { LocationRegistrar } from '../services/LocationRegistrar';
import { LocationStatusReader } from '../services/LocationStatusReader';
import { LimitError, RegistrationLimiter } from '../services/RegistrationLimiter';
import { OpenApiDocument } from '../schema/openapi';

export interface RouterOptions {
  registrar: LocationRegistrar;
  statusReader: LocationStatusReader;
  entities: CatalogEntitiesPassThrough;
  limiter: RegistrationLimiter;
  /** The plugin's OpenAPI document; requests are validated against it before the handlers. */
  openApi: OpenApiDocument;
}

/**
 * Runs before the OpenAPI validator (the guard has already parsed the JSON body, within
 * apiGuard.maxBodySize): a missing or non-JSON Content-Type gets a message that says what to
 * send, where the validator would answer `unsupported media type undefined`.
 */
function requireJsonBody(): RequestHandler {
  const router = Router();
  router.post('/locations', (req, _res, next) => {
    if (!req.is('application/json')) {
      throw new InputError('Invalid request: Content-Type must be application/json');
    }
    next();
  });
  return router;
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

/** A query parameter that passed parseEntityFilter/parseEntityFields: absent, or strings. */
function asStrings(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? (value as string[]) : [value as string];
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    // Every problem, the first in the message, all of them in details.
    const details = result.error.issues.map(issue => ({ path: issue.path.join('.'), message: issue.message }));
    const [first] = details;
    const more = details.length > 1 ? ` (and ${details.length - 1} more, see details)` : '';
    throw new ValidationError(`Invalid ${what}: ${first.path ? `${first.path}: ` : ''}${first.message}${more}`, details);
  }
  return result.data;
}

/**
 * The routes; the api guard in front of them authenticates, rate-limits and renders errors.
 * The OpenAPI validator answers requests the document does not allow (400 `request/...`);
 * the handlers' own checks below give the specific messages the document leaves to them
 * (UUID format, filter syntax, field paths, target rules) and keep the handlers safe on
 * their own.
 */
export async function createRouter(options: RouterOptions): Promise<Router> {
  const { registrar, statusReader, entities, limiter } = options;
  // An express-promise-router underneath, so async throws reach the guard's renderer.
  const router: Router = createValidatedOpenApiRouter(options.openApi, {
    middleware: [requireJsonBody()],
    // The guard in front has authenticated the caller already; `security` in the document
    // describes that for readers and clients.
    validatorOptions: { validateSecurity: false },
  });

  router.post('/locations', async (req, res) => {
    const { dryRun } = parse(registerQuery, req.query, 'query');
    const body = parse(registerBody, req.body, 'request body');
    const { id, credentials } = getCaller(req);
    const limited = <T>(work: () => Promise<T>) =>
      // entity refs compare case-insensitively: one caller, one budget however it is spelled
      limiter.run(id.toLocaleLowerCase('en-US'), work).catch(error => {
        const retryAfter = (error as Partial<LimitError>)?.retryAfterSeconds;
        if (retryAfter) res.set('Retry-After', String(retryAfter));
        throw error;
      });
    if (dryRun === 'true') {
      res.status(200).json(await limited(() => registrar.dryRun(body, credentials)));
      return;
    }
    res.status(201).json(await limited(() => registrar.register(body, credentials)));
  });

  router.get('/locations/:locationId', async (req, res) => {
    const id = locationId.safeParse(req.params.locationId);
    if (!id.success) throw new InputError('Invalid locationId: expected the UUID returned at registration');
    res.json(await statusReader.get(id.data, getCaller(req).credentials));
  });

  router.get('/entities', async (req, res) => {
    const query = parse(entitiesQuery, req.query, 'query');
    // Checked here for the document's messages; the catalog parses the same strings itself.
    parseEntityFilter(query.filter);
    parseEntityFields(query.fields);
    await entities.stream(
      { filter: asStrings(query.filter), fields: asStrings(query.fields) },
      getCaller(req).credentials,
      res,
    );
  });

  return router;
}
