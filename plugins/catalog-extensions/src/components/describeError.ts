import { ResponseError } from '@backstage/errors';
import { type ErrorDetail, readErrorResponse } from '@fawkes/plugin-catalog-extensions-common';

/** A failed request in words, with every validation problem the backend listed. */
export interface RegisterErrorView {
  status?: number;
  title: string;
  message: string;
  details: ErrorDetail[];
}

function statusOf(error: unknown): number | undefined {
  if (error instanceof ResponseError) return error.response.status;
  const status = (error as { status?: unknown })?.status;
  return typeof status === 'number' ? status : undefined;
}

const TITLES: Record<number, string> = {
  400: 'The target does not validate',
  403: 'Not allowed to register locations',
  404: 'Not found',
  409: 'Already registered',
  413: 'The file is too large',
  429: 'Too many requests',
  502: 'The target could not be read',
  503: 'The catalog is unavailable',
  504: 'Reading the target took too long',
};

export function describeRegisterError(error: unknown): RegisterErrorView {
  const status = statusOf(error);
  const body = readErrorResponse(error);
  const ownMessage = error instanceof Error ? error.message : String(error);
  const message = body?.error ?? ownMessage;
  const details: ErrorDetail[] = Array.isArray(body?.details)
    ? body.details.filter(d => d && typeof d.message === 'string')
    : [];
  return {
    status,
    title: (status && TITLES[status]) || 'The request failed',
    message,
    details,
  };
}
