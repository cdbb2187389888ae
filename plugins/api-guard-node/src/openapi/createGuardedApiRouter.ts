import {
  createValidatedOpenApiRouterFromGeneratedEndpointMap,
  internal,
  TypedRouter,
} from '@backstage/backend-openapi-utils';
import { isError } from '@backstage/errors';
import { ErrorRequestHandler, RequestHandler, Router } from 'express';
import PromiseRouter from 'express-promise-router';
import { ApiGuard } from '../apiGuardService';
import { ValidationDetail, ValidationError } from '../errors/ValidationError';
import { OpenApiDocument } from '../openApiDocument';

/**
 * Options of {@link createGuardedApiRouter}.
 *
 * @public
 */
export interface GuardedApiRouterOptions {
  /** The plugin's guard (`deps: { guard: apiGuardServiceRef }`). */
  guard: ApiGuard;
  /**
   * The plugin's OpenAPI 3.1 document, read once: the generated `spec` of
   * `backstage-repo-tools package schema openapi generate --server`, or
   * `readOpenApiDocument(packageName)`. It is served at `GET /openapi.json` and every request
   * is validated against it.
   */
  spec: OpenApiDocument | internal.RequiredDoc;
  /**
   * Run after the guard and before validation, for checks that give a clearer message than
   * the validator would (e.g. a missing Content-Type). They run outside the validated router,
   * so an error they pass on (a `ValidationError` with its `details`) is answered as it is.
   */
  middleware?: RequestHandler[];
}

type GuardedRouter<T> = [T] extends [never] ? Router : TypedRouter<T & internal.EndpointMap>;

/**
 * The one request path of the Fawkes plugins: the guard (authentication, rate limit, JSON
 * body within `apiGuard.maxBodySize`, error bodies), then validation of every request against
 * the plugin's OpenAPI document with Backstage's `createValidatedOpenApiRouter`, then the
 * routes the plugin adds to the returned router. A request the document does not allow is
 * answered `400 {"error": "Invalid request: ...", "details": [{ path, message }, ...]}` with
 * every problem found, not only the first. Pass the generated `EndpointMap` as the type
 * parameter to get typed routes; without it the router is a plain express router.
 *
 * The router is mounted on the plugin's `httpRouter` when this returns; add routes to it.
 *
 * @public
 */
export function createGuardedApiRouter<T extends internal.EndpointMap = never>(
  options: GuardedApiRouterOptions,
): GuardedRouter<T> {
  const { guard, spec } = options;
  const reachedValidation = new WeakSet<object>();
  const passedValidation = new WeakSet<object>();

  const validated = createValidatedOpenApiRouterFromGeneratedEndpointMap<internal.EndpointMap>(
    // The validator annotates the document it is given; the served copy stays as written.
    structuredClone(spec) as internal.RequiredDoc,
    {
      // The guard has parsed the JSON body already, within its size cap; the validated
      // router must not parse it again with express.json()'s default limit.
      middleware: [
        (req, _res, next) => {
          reachedValidation.add(req);
          next();
        },
      ],
      validatorOptions: {
        // The guard has authenticated the caller; `security` in the document describes that.
        validateSecurity: false,
        validateRequests: {
          // Every problem in `details`. The schemas are the plugin's own and bodies are capped
          // by the guard, which is what Ajv's advice against allErrors is about.
          allErrors: true,
          coerceTypes: false,
          allowUnknownQueryParameters: false,
        },
      },
    },
  );
  validated.use((req, _res, next) => {
    passedValidation.add(req);
    next();
  });

  const toValidationError: ErrorRequestHandler = (error, req, _res, next) => {
    // Only the validator's own failure, which Backstage forwards as a bare InputError; an
    // error that carries its details already (a ValidationError) is left as it is.
    if (
      reachedValidation.has(req) &&
      !passedValidation.has(req) &&
      isError(error) &&
      error.name === 'InputError' &&
      !('details' in error)
    ) {
      next(requestValidationError(error.message));
      return;
    }
    next(error);
  };

  const router = PromiseRouter();
  // Outside the validated router: Backstage's error wrapper there would turn whatever these
  // pass on into a bare InputError(message), losing its status and details.
  if (options.middleware?.length) router.use(options.middleware);
  router.use(validated);
  router.use(toValidationError);
  guard.mount(router, { openApi: spec as OpenApiDocument });
  return validated as unknown as GuardedRouter<T>;
}

// Backstage's validator router forwards express-openapi-validator's failures as an InputError
// carrying only Ajv's errorsText: "request/body must have required property 'a', request/query/b
// must be integer". This splits it back into one detail per problem.
const problemStart = /, (?=request\/)/;
const problem = /^request\/(\S+) (.+)$/s;
const requiredProperty = /^must have required property '(.+)'$/;

/**
 * The 400 for a request the OpenAPI document does not allow, with one detail per problem.
 *
 * @public
 */
export function requestValidationError(validatorMessage: string): ValidationError {
  const details: ValidationDetail[] = validatorMessage.split(problemStart).map(part => {
    const match = problem.exec(part);
    if (!match) {
      return { path: '(request)', message: part };
    }
    const path = match[1].split('/').join('.');
    const required = requiredProperty.exec(match[2]);
    return required
      ? { path: `${path}.${required[1]}`, message: 'is required' }
      : { path, message: match[2] };
  });
  return new ValidationError(
    `Invalid request: ${details.map(d => (d.path === '(request)' ? d.message : `${d.path} ${d.message}`)).join('; ')}`,
    details,
  );
}
