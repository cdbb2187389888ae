import { InputError } from '@backstage/errors';
import { getCaller, ValidationError } from '@fawkes/plugin-api-guard-node';
import { workspaceStatuses } from '@fawkes/plugin-che-launcher-common';
import { Router } from 'express';
import PromiseRouter from 'express-promise-router';
import { z, ZodError } from 'zod';
import { workspaceNameProblem, isDnsLabel } from '../services/workspace/names';
import { WorkspaceService } from '../services/workspace/WorkspaceService';

const createBody = z
  .object({
    devfileUrl: z
      .string({ required_error: 'is required', invalid_type_error: 'must be a string' })
      .trim()
      .min(1, 'is required')
      .max(2048, 'must be at most 2048 characters'),
    namespace: z.string({ invalid_type_error: 'must be a string' }).optional(),
    name: z.string({ invalid_type_error: 'must be a string' }).optional(),
  }, { required_error: 'a JSON object is required', invalid_type_error: 'must be a JSON object' })
  .strict();

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

/** The HTTPS-only, no-credentials rules for devfile URLs (the host is UrlReader's business). */
export function checkDevfileUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError('Invalid devfileUrl: not a valid URL');
  }
  if (url.protocol !== 'https:') {
    throw new InputError('Invalid devfileUrl: URL must be HTTPS');
  }
  if (url.username || url.password) {
    throw new InputError('Invalid devfileUrl: URL must not contain credentials');
  }
  return url.toString();
}

export async function createRouter(options: { workspaces: WorkspaceService }): Promise<Router> {
  const { workspaces } = options;
  const router = PromiseRouter();

  router.post('/workspaces', async (req, res) => {
    const parsed = createBody.safeParse(req.body);
    if (!parsed.success) throw validation(parsed.error, 'request body');
    const { namespace, name } = parsed.data;
    const devfileUrl = checkDevfileUrl(parsed.data.devfileUrl);
    if (name !== undefined) {
      const problem = workspaceNameProblem(name);
      if (problem) throw new InputError(`Invalid name: ${problem}`);
    }
    if (namespace !== undefined && !isDnsLabel(namespace)) {
      throw new InputError(
        "Invalid namespace: must be at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit",
      );
    }
    const created = await workspaces.create(getCaller(req), { devfileUrl, namespace, name });
    res.status(201).json(created);
  });

  router.get('/workspaces', async (req, res) => {
    const parsed = listQuery.safeParse(req.query);
    if (!parsed.success) throw validation(parsed.error, 'query');
    res.json(await workspaces.list(getCaller(req), parsed.data));
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

  return router;
}
