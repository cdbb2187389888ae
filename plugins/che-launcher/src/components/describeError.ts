import { ResponseError } from '@backstage/errors';

/** What a user is told about a failed che-launcher request. */
export interface CheErrorView {
  status?: number;
  title: string;
  /** The backend's own words (its `{"error": "..."}`), when it sent them. */
  message: string;
}

function statusOf(error: unknown): number | undefined {
  return error instanceof ResponseError ? error.response.status : undefined;
}

function messageOf(error: unknown): string {
  if (error instanceof ResponseError) {
    // CheLauncherClient's ResponseError keeps the API's {"error": "..."} body as text, after
    // "Request failed with status ...", in its body's message.
    const text = error.body?.error?.message ?? error.message;
    const json = text.indexOf('{');
    if (json >= 0) {
      try {
        const body = JSON.parse(text.slice(json));
        if (typeof body?.error === 'string') return body.error;
      } catch {
        // not JSON: keep the text
      }
    }
    return text;
  }
  return error instanceof Error ? error.message : String(error);
}

function retryAfterOf(error: unknown): number | undefined {
  if (!(error instanceof ResponseError)) return undefined;
  const seconds = Number(error.response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : undefined;
}

/** Titles in words for the plugin's limit, conflict and permission answers. */
export function describeCheError(error: unknown): CheErrorView {
  const status = statusOf(error);
  const message = messageOf(error);
  switch (status) {
    case 400:
      return { status, title: 'The request was refused', message };
    case 403:
      return { status, title: 'Not allowed', message };
    case 404:
      return { status, title: 'Workspace not found', message };
    case 409:
      return {
        status,
        title: /limit/i.test(message) ? 'Workspace limit reached' : 'Conflict',
        message,
      };
    case 413:
      return { status, title: 'The devfile is too large', message };
    case 429: {
      const seconds = retryAfterOf(error);
      return {
        status,
        title: 'Too many requests',
        message:
          seconds === undefined
            ? `${message}. Wait a moment and try again.`.replace('..', '.')
            : `${message}. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`.replace('..', '.'),
      };
    }
    case 503:
      return { status, title: 'Eclipse Che is unavailable', message };
    case 504:
      return { status, title: 'The cluster did not answer in time', message };
    default:
      return { status, title: 'The request failed', message };
  }
}
