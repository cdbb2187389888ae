import {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { Request } from 'express';

/**
 * Who is calling: a signed-in user or a service (static, JWKS or plugin token).
 *
 * @public
 */
export type Caller =
  | {
      kind: 'user';
      /** The user entity ref, e.g. `user:default/jane`. */
      id: string;
      credentials: BackstageCredentials<BackstageUserPrincipal>;
    }
  | {
      kind: 'service';
      /** The token subject, e.g. `ci-bot` or `external:system:serviceaccount:backstage:backstage-sa`. */
      id: string;
      credentials: BackstageCredentials<BackstageServicePrincipal>;
    };

// A property of the request (not a WeakMap entry), as for the request id.
const callerKey = Symbol('fawkes.api-guard.caller');
type WithCaller = Request & { [callerKey]?: Caller };

export function setCaller(req: Request, caller: Caller): void {
  (req as WithCaller)[callerKey] = caller;
}

/**
 * The caller of a guarded request. Throws if the request did not pass through the guard,
 * which can only happen when a router is mounted without `ApiGuard.mount`.
 *
 * @public
 */
export function getCaller(req: Request): Caller {
  const caller = (req as WithCaller)[callerKey];
  if (!caller) {
    throw new Error('getCaller() called on a request that did not pass through the api guard');
  }
  return caller;
}

export function toCaller(credentials: BackstageCredentials): Caller {
  const principal = credentials.principal as BackstageUserPrincipal | BackstageServicePrincipal;
  if (principal.type === 'user') {
    return {
      kind: 'user',
      id: principal.userEntityRef,
      credentials: credentials as BackstageCredentials<BackstageUserPrincipal>,
    };
  }
  return {
    kind: 'service',
    id: principal.subject,
    credentials: credentials as BackstageCredentials<BackstageServicePrincipal>,
  };
}

/** Entity refs are case-insensitive in Backstage: one budget per user however the ref is cased. */
export function budgetKey(caller: Caller): string {
  return caller.kind === 'user' ? caller.id.toLocaleLowerCase('en-US') : caller.id;
}
