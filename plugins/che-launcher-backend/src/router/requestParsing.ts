import { ValidationError } from '@fawkes/plugin-api-guard-node';
import { ListWorkspacesQuery, workspaceStatuses } from '@fawkes/plugin-che-launcher-common';
import { z, ZodError } from 'zod';
import { DevfileSource } from '../services/devfile/DevfileSourceResolver';
import { CreateWorkspaceRequest } from '../services/workspace/WorkspaceService';

/*
 * The rules the OpenAPI document cannot state in the plugin's words: the create body field by
 * field (exactly one devfile source) and the list query.
 */

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

/** The create body's devfile source, in the service's terms. */
function devfileSourceOf(body: { devfileUrl?: string; template?: string; entityRef?: string }): DevfileSource {
  if (body.devfileUrl !== undefined) return { devfileUrl: body.devfileUrl };
  if (body.template !== undefined) return { template: body.template };
  return { entityRef: body.entityRef! };
}

/**
 * The create body as the service takes it; 400 with every problem in `details`
 * (`devfileUrl is required`) in the plugin's words, before the document's validator.
 */
export function parseCreateRequest(body: unknown): CreateWorkspaceRequest {
  const parsed = createBody.safeParse(body);
  if (!parsed.success) throw validation(parsed.error, 'request body');
  const { namespace, name, ...source } = parsed.data;
  return { source: devfileSourceOf(source), namespace, name };
}

/** `GET /workspaces`' query, after the document's validator; 400 otherwise. */
export function parseListQuery(query: unknown): ListWorkspacesQuery {
  const parsed = listQuery.safeParse(query);
  if (!parsed.success) throw validation(parsed.error, 'query');
  return parsed.data;
}
