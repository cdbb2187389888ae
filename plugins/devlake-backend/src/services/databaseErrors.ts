import { ServiceUnavailableError } from '@backstage/errors';
import { GatewayTimeoutError } from '@fawkes/plugin-api-guard-node';

// mysql2 / MySQL / MariaDB codes meaning "the server cannot be used right now".
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_ACCESS_DENIED_ERROR',
  // MariaDB's answer for a user that does not exist (or may not log in from this host).
  'ER_ACCESS_DENIED_NO_PASSWORD_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_HOST_NOT_PRIVILEGED',
  'ER_HOST_IS_BLOCKED',
  'ER_ACCOUNT_HAS_BEEN_LOCKED',
  'ER_MUST_CHANGE_PASSWORD_LOGIN',
  'ER_NOT_SUPPORTED_AUTH_MODE',
  'ER_BAD_DB_ERROR',
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_USER_LIMIT_REACHED',
  'ER_SERVER_SHUTDOWN',
  'HANDSHAKE_NO_SSL_SUPPORT',
  'SQLITE_BUSY',
  'SQLITE_CANTOPEN',
  'SQLITE_LOCKED',
]);
// Statement killed or timed out on the server (KILL QUERY, max_execution_time, max_statement_time).
const timeoutCodes = new Set(['ER_QUERY_INTERRUPTED', 'ER_QUERY_TIMEOUT', 'ER_STATEMENT_TIMEOUT']);
const timeoutErrnos = new Set([1317, 3024, 1969]);

/**
 * Maps a database failure to the API's 503 / 504 with a message fit for callers: driver
 * messages can carry user names, host names and SQL, so they are never forwarded. Returns
 * undefined for anything else (a bug: the caller rethrows it as a masked 500).
 */
export function toUpstreamError(error: unknown): Error | undefined {
  const e = error as { name?: string; code?: string; errno?: number; sql?: string; message?: string; fatal?: boolean };
  if (!e || typeof e !== 'object') return undefined;
  if (e.name === 'KnexTimeoutError') {
    // Query timeouts carry the SQL; pool acquisition timeouts do not.
    return e.sql !== undefined || /query timeout/i.test(e.message ?? '')
      ? new GatewayTimeoutError('DevLake database query timed out')
      : new ServiceUnavailableError('DevLake database is unavailable');
  }
  if ((e.code && timeoutCodes.has(e.code)) || (e.errno && timeoutErrnos.has(e.errno))) {
    return new GatewayTimeoutError('DevLake database query timed out');
  }
  if ((e.code && unavailableCodes.has(e.code)) || e.fatal) {
    return new ServiceUnavailableError('DevLake database is unavailable');
  }
  return undefined;
}
