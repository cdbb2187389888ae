import { LoggerService, RootConfigService } from '@backstage/backend-plugin-api';
import knexFactory, { Knex } from 'knex';
import { readDurationMs } from '@fawkes/plugin-api-guard-node';
import { toUpstreamError } from './databaseErrors';
import { describeCause, withCause } from './failureCauses';

/** Read-only access to DevLake's database with a bounded time per query. */
export class DevLakeDatabase {
  // The pool retries failed connections until its acquire timeout, and then reports only
  // "Timeout acquiring a connection": the last connection error is the cause to log.
  private lastConnectionError?: unknown;

  constructor(
    readonly knex: Knex,
    readonly dialect: 'mysql' | 'sqlite',
    private readonly queryTimeoutMs: number,
    /** Where the data is, for the log: `MySQL host:port/database`, `SQLite file`, the module's description. */
    private readonly location: string,
  ) {
    const pool = (knex.client as { pool?: { on(event: string, listener: (...args: any[]) => void): void } }).pool;
    pool?.on('createFail', (_eventId: unknown, error: unknown) => {
      this.lastConnectionError = error;
    });
    pool?.on('createSuccess', () => {
      this.lastConnectionError = undefined;
    });
  }

  /**
   * Runs a query with the configured timeout (cancelled server-side on MySQL/MariaDB with
   * KILL QUERY) and maps database failures to 503 / 504.
   */
  async run<T = any[]>(query: Knex.QueryBuilder | Knex.Raw): Promise<T> {
    try {
      const timed = (query as Knex.QueryBuilder).timeout(this.queryTimeoutMs, {
        cancel: this.dialect === 'mysql',
      });
      return (await timed) as T;
    } catch (error) {
      const upstream = toUpstreamError(error);
      if (!upstream) throw error;
      const poolTimeout = (error as Error)?.name === 'KnexTimeoutError' && this.lastConnectionError !== undefined;
      const cause = poolTimeout
        ? `${describeCause(error)}; last connection error ${describeCause(this.lastConnectionError)}`
        : describeCause(error);
      throw withCause(upstream, `${cause} [${this.location}]`);
    }
  }

  async close(): Promise<void> {
    await this.knex.destroy();
  }

  /**
   * Opens `devlake.database`. mysql2 connections read datetimes as UTC strings and are
   * switched to read-only transactions; a SQLite file is opened read-only.
   */
  static fromConfig(config: RootConfigService, logger: LoggerService): DevLakeDatabase | undefined {
    const db = config.getOptionalConfig('devlake.database');
    if (!db) return undefined;
    const client = db.getOptionalString('client') ?? 'mysql2';
    const queryTimeoutMs = readDurationMs(db, 'queryTimeout', { default: { seconds: 10 } });
    const connectTimeoutMs = readDurationMs(db, 'connectTimeout', { default: { seconds: 5 } });
    const pool = {
      min: db.getOptionalNumber('pool.min') ?? 0,
      max: db.getOptionalNumber('pool.max') ?? 5,
    };
    if (client === 'better-sqlite3' || client === 'sqlite3') {
      const filename = db.getString('connection.filename');
      const knex = knexFactory({
        client: 'better-sqlite3',
        connection: { filename, options: { readonly: true, fileMustExist: true } } as any,
        useNullAsDefault: true,
        pool: { min: 1, max: 1 },
        log: knexLogger(logger),
      });
      logger.info(`Reading DevLake data from SQLite file ${filename} (read-only)`);
      return new DevLakeDatabase(knex, 'sqlite', queryTimeoutMs, 'SQLite file');
    }
    if (client !== 'mysql2' && client !== 'mysql') {
      throw new Error(`devlake.database.client must be mysql2 or better-sqlite3, got '${client}'`);
    }
    const connection = db.getConfig('connection');
    const ssl = connection.getOptional('ssl');
    const knex = knexFactory({
      client: 'mysql2',
      connection: {
        host: connection.getString('host'),
        port: connection.getOptionalNumber('port') ?? 3306,
        user: connection.getString('user'),
        // An empty password is legal for MySQL but not a valid Backstage config string.
        password: String(connection.getOptional('password') ?? ''),
        database: connection.getString('database'),
        ...(ssl !== undefined ? { ssl: ssl as any } : {}),
        charset: 'utf8mb4',
        timezone: 'Z',
        dateStrings: true,
        connectTimeout: connectTimeoutMs,
      },
      pool: {
        ...pool,
        // Belt and braces on top of a SELECT-only account: this session cannot write.
        afterCreate: (conn: any, done: (err: Error | null, conn: any) => void) => {
          conn.query('SET SESSION TRANSACTION READ ONLY', (err: Error | null) => done(err, conn));
        },
      },
      acquireConnectionTimeout: connectTimeoutMs + 1_000,
      log: knexLogger(logger),
    });
    const location = `MySQL ${connection.getString('host')}:${connection.getOptionalNumber('port') ?? 3306}/${connection.getString('database')}`;
    logger.info(`Reading DevLake data from ${location} (read-only, query timeout ${queryTimeoutMs} ms)`);
    return new DevLakeDatabase(knex, 'mysql', queryTimeoutMs, location);
  }
}

/** knex logs pool errors to the console by default; route them to the plugin's logger. */
function knexLogger(logger: LoggerService) {
  const log = (message: unknown) => logger.debug(`knex: ${String((message as Error)?.message ?? message)}`);
  return { warn: log, error: log, deprecate: log, debug: log };
}
