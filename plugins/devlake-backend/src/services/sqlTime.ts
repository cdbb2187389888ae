/** An instant as a DevLake `datetime(3)` literal in UTC: `YYYY-MM-DD HH:MM:SS.sss`. */
export function toSqlTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * Reads a DevLake datetime as UTC milliseconds. mysql2 is configured with `dateStrings`, and
 * SQLite stores text, so values normally arrive as `YYYY-MM-DD HH:MM:SS[.sss]`.
 */
export function fromSqlTime(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  const text = String(value).trim();
  const iso = text.includes('T') ? text : text.replace(' ', 'T');
  const ms = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`);
  return Number.isNaN(ms) ? null : ms;
}

/** ISO 8601 UTC (`...Z`, no milliseconds when they are zero) or null. */
export function toIso(ms: number | null): string | null {
  if (ms === null) return null;
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Decodes a binary column (mysql2 and better-sqlite3 return a Buffer) as UTF-8. */
export function decodeText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return String(value);
}
