import { ResponseError } from '@backstage/errors';

/** What a user is told about a failed DevLake request. */
export interface DevLakeErrorView {
  status?: number;
  title: string;
  /** The backend's own message (its `{"error": "..."}` body), when it sent one. */
  message: string;
  /** Seconds from `Retry-After` on a 429. */
  retryAfterSeconds?: number;
}

function backendMessage(error: Error): string {
  // ResponseError keeps a body that is not Backstage's error shape as its cause's message,
  // "Request failed with status …, <text>"; the devlake API's body is {"error": "..."}.
  const text = error instanceof ResponseError ? error.body?.error?.message ?? error.message : error.message;
  const json = text.indexOf('{');
  if (json >= 0) {
    try {
      const body = JSON.parse(text.slice(json));
      if (typeof body?.error === 'string') return body.error;
      if (typeof body?.error?.message === 'string') return body.error.message;
    } catch {
      // not JSON: keep the text
    }
  }
  return text;
}

function statusOf(error: unknown): number | undefined {
  if (error instanceof ResponseError) return error.response.status;
  const status = (error as { status?: unknown; statusCode?: unknown })?.status ??
    (error as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

function retryAfterOf(error: unknown): number | undefined {
  if (!(error instanceof ResponseError)) return undefined;
  const header = error.response.headers.get('retry-after');
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** "1 minute", "45 seconds", "2 minutes 5 seconds". */
export function durationInWords(totalSeconds: number): string {
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  const part = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes === 0) return part(seconds, 'second');
  return seconds === 0 ? part(minutes, 'minute') : `${part(minutes, 'minute')} ${part(seconds, 'second')}`;
}

export function describeDevLakeError(error: unknown): DevLakeErrorView {
  const err = error instanceof Error ? error : new Error(String(error));
  const status = statusOf(err);
  const message = backendMessage(err);
  switch (status) {
    case 429: {
      const retryAfterSeconds = retryAfterOf(err);
      return {
        status,
        title: 'Too many requests',
        message:
          retryAfterSeconds === undefined
            ? 'The DevLake API rate limit was reached. Try again in a moment.'
            : `The DevLake API rate limit was reached. Try again in ${durationInWords(retryAfterSeconds)}.`,
        retryAfterSeconds,
      };
    }
    case 503:
      return { status, title: 'DevLake is unavailable', message };
    case 504:
      return { status, title: 'DevLake did not answer in time', message };
    case 401:
    case 403:
      return { status, title: 'Not allowed', message };
    case 404:
      return { status, title: 'Not found in DevLake', message };
    default:
      return { status, title: 'Could not load DORA metrics', message };
  }
}
