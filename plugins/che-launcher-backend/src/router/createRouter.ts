import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { getCaller, getRequestId, ValidationError } from '@fawkes/plugin-api-guard-node';
import { workspaceStatuses } from '@fawkes/plugin-che-launcher-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { describeError } from '@fawkes/plugin-api-guard-node';
import { ErrorRequestHandler, RequestHandler, Router } from 'express';
import PromiseRouter from 'express-promise-router';
import { z, ZodError } from 'zod';
import { OpenApiDocument } from '../schema/openapi';
import { DevfileSource } from '../services/devfile/DevfileSourceResolver';
import { DevfileTemplates } from '../services/devfile/DevfileTemplates';
import { WorkspaceService } from '../services/workspace/WorkspaceService';

const sourceField = (max: number, emptyMessage = 'must not be empty') =>
  z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, emptyMessage)
    .max(max, `must be at most ${max} characters`)
    .optional();

// zod 4 passes every issue of the object schema here; only its type gets our words.
const bodyTypeError = (issue: { code: string; input?: unknown }) => {
  if (issue.code !== 'invalid_type') return undefined;
  return issue.input === undefined ? 'a JSON object is required' : 'must be a JSON object';
};

const createBody = z
  .object({
    devfileUrl: sourceField(2048, 'is required'),
    template: sourceField(63),
    entityRef: sourceField(300),
    namespace: z.string({ error: 'must be a string' }).optional(),
    name: z.string({ error: 'must be a string' }).optional(),
  }, { error: bodyTypeError })
  .strict()
  .superRefine(exactlyOneDevfileSource);

const listQuery = z
  .object({
    status: z.enum(workspaceStatuses).optional(),
    owner: z.string().min(1).max(300).optional(),
  })
  .strict();

function validation(error: ZodError, what: string): ValidationError {
  const details = error.issues.map(issue => ({
    path: issue.path.join('.') || '(root)',
    message: issue.message,
  }));
  const summary = details.map(d => `${d.path} ${d.message}`).join('; ');
  return new ValidationError(`Invalid ${what}: ${summary}`, details);
}

/** `devfileUrl`, `template` or `entityRef`: exactly one (none given: the document's `devfileUrl is required`). */
function exactlyOneDevfileSource(body: { devfileUrl?: string; template?: string; entityRef?: string }, ctx: z.RefinementCtx) {
  const given = (['devfileUrl', 'template', 'entityRef'] as const).filter(key => body[key] !== undefined);
  if (given.length === 1) return;
  ctx.addIssue({
    code: z.ZodIssueCode.custom,
    path: given.length === 0 ? ['devfileUrl'] : [],
    message:
      given.length === 0
        ? 'is required'
        : `give exactly one of devfileUrl, template, entityRef; got ${given.join(', ')}`,
  });
}

function devfileSourceOf(body: { devfileUrl?: string; template?: string; entityRef?: string }): DevfileSource {
  if (body.devfileUrl !== undefined) return { devfileUrl: body.devfileUrl };
  if (body.template !== undefined) return { template: body.template };
  return { entityRef: body.entityRef! };
}

function parseCreateBody(body: unknown) {
  const parsed = createBody.safeParse(body);
  if (!parsed.success) throw validation(parsed.error, 'request body');
  return parsed.data;
}

// The guard in front has already parsed the JSON body (within apiGuard.maxBodySize); the
// validated router must not parse it again with its own default limit.
const bodyAlreadyParsed: RequestHandler = (_req, _res, next) => next();

/**
 * Logs once why a request answered 502/503/504: the upstream cause the error carries (the
 * Kubernetes call, its host, code, reason and message; never tokens). The caller's body stays
 * the safe message the guard renders.
 */
function logFailureCauses(logger: LoggerService): ErrorRequestHandler {
  return (error, req, _res, next) => {
    const { status, message } = describeError(error);
    const cause = (error as { cause?: unknown })?.cause;
    if (status >= 502 && cause instanceof Error) {
      logger.warn(
        `${req.method} ${req.baseUrl}${req.path} (request ${getRequestId(req)}) answered ${status} '${message}': ${cause.message}`,
      );
    }
    next(error);
  };
}

export async function createRouter(options: {
  logger: LoggerService;
  workspaces: WorkspaceService;
  /** The plugin's OpenAPI document; requests are validated against it before the handlers. */
  openApi: OpenApiDocument;
  /** `cheLauncher.devfiles`, served by `GET /devfiles`. */
  templates: DevfileTemplates;
}): Promise<Router> {
  const { workspaces } = options;

  const validated: Router = createValidatedOpenApiRouter(options.openApi, {
    middleware: [bodyAlreadyParsed],
    // The guard has authenticated the caller already; `security` in the document describes
    // that for readers and clients.
    validatorOptions: { validateSecurity: false },
  });

  // The create body's shape is checked before the document's validator, so that callers get
  // the plugin's field-by-field messages and `details` (`devfileUrl is required`) rather than
  // the validator's generic ones; the validator then checks the same body against the document.
  const router = PromiseRouter();
  router.post('/workspaces', (req, _res, next) => {
    parseCreateBody(req.body);
    next();
  });
  router.use(validated);

  validated.post('/workspaces', async (req, res) => {
    const { namespace, name, ...body } = parseCreateBody(req.body);
    const { created, workspace } = await workspaces.create(getCaller(req), { source: devfileSourceOf(body), namespace, name });
    res.status(created ? 201 : 200).json(workspace);
  });

  validated.get('/devfiles', async (_req, res) => {
    res.json({ devfiles: options.templates.list() });
  });

  validated.get('/workspaces', async (req, res) => {
    const parsed = listQuery.safeParse(req.query);
    if (!parsed.success) throw validation(parsed.error, 'query');
    res.json(await workspaces.list(getCaller(req), parsed.data));
  });

  validated.get('/workspaces/:workspaceId', async (req, res) => {
    res.json(await workspaces.get(getCaller(req), req.params.workspaceId));
  });

  validated.post('/workspaces/:workspaceId/start', async (req, res) => {
    res.json(await workspaces.start(getCaller(req), req.params.workspaceId));
  });

  validated.post('/workspaces/:workspaceId/stop', async (req, res) => {
    res.json(await workspaces.stop(getCaller(req), req.params.workspaceId));
  });

  validated.delete('/workspaces/:workspaceId', async (req, res) => {
    await workspaces.delete(getCaller(req), req.params.workspaceId);
    res.status(204).end();
  });

  router.use(logFailureCauses(options.logger));
  return router;
}
