import { KnexTimeoutError } from 'knex';
import { toUpstreamError } from './databaseErrors';
import { decodeText, fromSqlTime, toIso, toSqlTime } from './sqlTime';

describe('toUpstreamError', () => {
  it('maps query timeouts and killed statements to 504 without the SQL', () => {
    const timeout = Object.assign(new KnexTimeoutError('Defined query timeout of 1000ms exceeded when running query.'), {
      sql: 'select secret from t',
    });
    for (const error of [timeout, { code: 'ER_QUERY_INTERRUPTED', errno: 1317 }, { errno: 1969 }]) {
      const mapped = toUpstreamError(error);
      expect(mapped).toMatchObject({ statusCode: 504, message: 'DevLake database query timed out' });
    }
  });

  it('maps connection failures and pool exhaustion to 503', () => {
    const acquire = new KnexTimeoutError('Knex: Timeout acquiring a connection. The pool is probably full.');
    for (const error of [
      acquire,
      { code: 'ECONNREFUSED' },
      { code: 'ER_ACCESS_DENIED_ERROR', message: "Access denied for user 'x'@'10.0.0.1'" },
      { code: 'PROTOCOL_CONNECTION_LOST' },
      { fatal: true },
    ]) {
      const mapped = toUpstreamError(error);
      expect(mapped?.name).toBe('ServiceUnavailableError');
      expect(mapped?.message).toBe('DevLake database is unavailable');
    }
  });

  it('leaves other errors alone (they become masked 500s)', () => {
    expect(toUpstreamError(new Error("Unknown column 'x'"))).toBeUndefined();
    expect(toUpstreamError({ code: 'ER_PARSE_ERROR' })).toBeUndefined();
  });
});

describe('sql time helpers', () => {
  it('formats and reads DevLake datetimes as UTC', () => {
    expect(toSqlTime(Date.parse('2024-03-05T23:59:59.999Z'))).toBe('2024-03-05 23:59:59.999');
    expect(fromSqlTime('2024-03-05 23:59:59.999')).toBe(Date.parse('2024-03-05T23:59:59.999Z'));
    expect(fromSqlTime('2024-03-05 23:59:59')).toBe(Date.parse('2024-03-05T23:59:59Z'));
    expect(fromSqlTime(null)).toBeNull();
    expect(toIso(Date.parse('2024-03-05T08:00:00Z'))).toBe('2024-03-05T08:00:00Z');
    expect(toIso(Date.parse('2024-03-05T08:00:00.250Z'))).toBe('2024-03-05T08:00:00.250Z');
  });

  it('decodes binary commit messages as UTF-8', () => {
    expect(decodeText(Buffer.from('fix: café ✓', 'utf8'))).toBe('fix: café ✓');
    expect(decodeText('plain')).toBe('plain');
    expect(decodeText(null)).toBeNull();
  });
});
