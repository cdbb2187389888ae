import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the devlake plugin (DORA metrics from Apache DevLake's database). */
  devlake?: {
    /**
     * DevLake's database, read-only. Without it the routes answer 503, unless a backend module
     * supplies a fallback database through `devlakeDatabaseExtensionPoint` (this repository's
     * local backend supplies generated demo data that way, and says so in the log).
     */
    database?: {
      /** `mysql2` (DevLake's MySQL 8 / MariaDB; default) or `better-sqlite3` (a DevLake-shaped SQLite file). */
      client?: 'mysql2' | 'better-sqlite3';
      connection: {
        /** MySQL host. */
        host?: string;
        /** MySQL port, default 3306. */
        port?: number;
        /** A user with SELECT rights on DevLake's database is enough. */
        user?: string;
        /** @visibility secret */
        password?: string;
        /** DevLake's database name, e.g. `lake`. */
        database?: string;
        /** mysql2 TLS options, e.g. `{ ca: ... }` or a profile name. */
        ssl?: string | { [key: string]: unknown };
        /** SQLite file (client better-sqlite3), opened read-only. */
        filename?: string;
      };
      /** Connection pool size. */
      pool?: {
        /** Default 0. */
        min?: number;
        /** Default 5. */
        max?: number;
      };
      /**
       * Per-query timeout ('10s', 'PT10S' or { seconds: 10 }; a plain number, as older configs
       * have it, is read as milliseconds); past it the API answers 504. Default 10 s.
       */
      queryTimeout?: HumanDuration | string;
      /** Time to open a connection before the API answers 503 (a duration, as above). Default 5 s. */
      connectTimeout?: HumanDuration | string;
    };
    /** Result cache (Backstage CacheService). */
    cache?: {
      /** Time to live ('5m' or { minutes: 5 }). Default 5 minutes; 0 caches nothing. */
      ttl?: HumanDuration | string;
      /**
       * How long a caller's catalog lookup of a `project`/`service` name (entity → DevLake
       * project annotation) is reused. Default 1 minute; { seconds: 0 } (or 0) looks it up on
       * every request.
       */
      catalogTtl?: HumanDuration | string;
    };
    /**
     * `POST /dora-metrics/batch` requests in progress at once (each computes up to 100
     * projects). Past a cap the request is refused at once, with `Retry-After`.
     */
    batch?: {
      /** For one caller (a user or a service); past it 429. Default 2, what the team view sends at once. */
      maxConcurrentPerCaller?: number;
      /** Across all callers, per backend process; past it 503. Default 8. */
      maxConcurrent?: number;
    };
    /** The DORA report whose definitions and thresholds apply by default: '2023' (default) or '2021'. */
    benchmark?: '2021' | '2023';
  };
}
