/**
 * The cause of an upstream failure (database or catalog), for the log only: callers get the
 * safe message of the error it is attached to, the log gets what an operator needs to fix it
 * (driver code and message, host), never a password or token.
 */
const causes = new WeakMap<Error, string>();

/** Attaches `cause` to `error` for logging; the error's message (the response body) is unchanged. */
export function withCause<E extends Error>(error: E, cause: string): E {
  causes.set(error, cause);
  return error;
}

/** The cause attached with {@link withCause}, if any. */
export function causeOf(error: unknown): string | undefined {
  return error instanceof Error ? causes.get(error) : undefined;
}

const maxMessageLength = 300;

/**
 * One line naming a driver or client error: `ER_BAD_DB_ERROR (errno 1049): Unknown database 'x'`,
 * `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:3306`, `ResponseError (status 500): ...`.
 */
export function describeCause(error: unknown): string {
  if (!error || typeof error !== 'object') return String(error);
  const e = error as {
    name?: string;
    code?: string | number;
    errno?: number;
    message?: string;
    response?: { status?: number; statusText?: string };
    cause?: { name?: string; message?: string };
    sql?: string;
    sqlMessage?: string;
  };
  const label = [
    e.code !== undefined ? String(e.code) : e.name ?? 'Error',
    e.errno !== undefined && typeof e.errno === 'number' && e.errno > 0 ? `errno ${e.errno}` : undefined,
    e.response?.status !== undefined ? `status ${e.response.status}` : undefined,
  ].filter(Boolean);
  const head = label.length > 1 ? `${label[0]} (${label.slice(1).join(', ')})` : String(label[0]);
  // knex prefixes a failed query's message with the statement (bindings inlined): noise in an
  // outage line; mysql2 keeps the server's own message in sqlMessage.
  let message = e.sqlMessage ?? String(e.message ?? '');
  if (!e.sqlMessage && e.sql && message.includes(' - ')) message = message.slice(message.indexOf(' - ') + 3);
  if (e.cause?.message && !message.includes(e.cause.message)) {
    message += ` (${e.cause.name ?? 'cause'}: ${e.cause.message})`;
  }
  message = message.replace(/\s+/g, ' ').trim();
  if (message.length > maxMessageLength) message = `${message.slice(0, maxMessageLength)}…`;
  return message ? `${head}: ${message}` : head;
}
