import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ApiGuard,
  createGuardedApiRouter,
  describeError,
  getCaller,
  getRequestId,
} from '@fawkes/plugin-api-guard-node';
import express, { ErrorRequestHandler, RequestHandler } from 'express';
import { OpenApiDocument } from '../schema/openapi';
import { DevfileTemplates } from '../services/devfile/DevfileTemplates';
import { CreateWorkspaceRequest, WorkspaceService } from '../services/workspace/WorkspaceService';
import { parseCreateRequest, parseListQuery } from './requestParsing';

export interface RouterOptions {
  /** The plugin's guard; the router is mounted through it. */
  guard: ApiGuard;
  /** Where the cause of each 502/503/504 is logged, with the request's id. */
  logger: LoggerService;
  workspaces: WorkspaceService;
  /** The plugin's OpenAPI document, read once; requests are validated against it. */
  openApi: OpenApiDocument;
  /** `cheLauncher.devfiles`, served by `GET /devfiles`. */
  templates: DevfileTemplates;
}

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

/**
 * The plugin's routes on the shared request path (`createGuardedApiRouter`): the guard, then
 * validation against the OpenAPI document, then the handler, which only translates HTTP to a
 * service call. Mounted when this returns.
 *
 * The create body is parsed once, before the document's validator, so that callers get the
 * plugin's field-by-field messages with `details` (`devfileUrl is required`) rather than the
 * validator's generic ones.
 */
export function createRouter(options: RouterOptions): express.Router {
  const { workspaces } = options;
  const createRequests = new WeakMap<express.Request, CreateWorkspaceRequest>();
  const parseCreate: RequestHandler = (req, _res, next) => {
    if (req.method === 'POST' && req.path === '/workspaces') createRequests.set(req, parseCreateRequest(req.body));
    next();
  };

  const router = createGuardedApiRouter({ guard: options.guard, spec: options.openApi, middleware: [parseCreate] });

  router.post('/workspaces', async (req, res) => {
    const { created, workspace } = await workspaces.create(getCaller(req), createRequests.get(req)!);
    res.status(created ? 201 : 200).json(workspace);
  });

  router.get('/devfiles', async (_req, res) => {
    res.json({ devfiles: options.templates.list() });
  });

  router.get('/workspaces', async (req, res) => {
    res.json(await workspaces.list(getCaller(req), parseListQuery(req.query)));
  });

  router.get('/workspaces/:workspaceId', async (req, res) => {
    res.json(await workspaces.get(getCaller(req), req.params.workspaceId));
  });

  router.post('/workspaces/:workspaceId/start', async (req, res) => {
    res.json(await workspaces.start(getCaller(req), req.params.workspaceId));
  });

  router.post('/workspaces/:workspaceId/stop', async (req, res) => {
    res.json(await workspaces.stop(getCaller(req), req.params.workspaceId));
  });

  router.delete('/workspaces/:workspaceId', async (req, res) => {
    await workspaces.delete(getCaller(req), req.params.workspaceId);
    res.status(204).end();
  });

  router.use(logFailureCauses(options.logger));
  return router;
}
