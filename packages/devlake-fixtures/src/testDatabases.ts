import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';

export type DevLakeTestDatabaseId = 'MYSQL_8' | 'SQLITE_3';

export interface DevLakeTestDatabase {
  id: DevLakeTestDatabaseId;
  knex: Knex;
  /** knex `client` and `connection` another process or plugin can open the same database with. */
  client: 'mysql2' | 'better-sqlite3';
  connection: Record<string, unknown>;
}

const envVar = 'BACKSTAGE_TEST_DATABASE_MYSQL8_CONNECTION_STRING';

/** Host, port, user and password of a `mysql://` connection string (user defaults to root). */
export function parseMySqlUrl(value: string) {
  const url = new URL(value);
  return {
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
  };
}

/**
 * Test databases for DevLake data: MariaDB/MySQL from
 * `BACKSTAGE_TEST_DATABASE_MYSQL8_CONNECTION_STRING` (a fresh database per `init`, dropped by
 * `cleanup`) and SQLite files in a temp directory. Unlike `TestDatabases` it accepts a
 * connection string without password or database (`mysql://root@127.0.0.1:3306`), and the
 * SQLite database is a file, so a plugin under test can open it with its own connection.
 */
export class DevLakeTestDatabases {
  private readonly created: Array<() => Promise<void>> = [];

  static hasMySql(): boolean {
    return Boolean(process.env[envVar]);
  }

  /** The engines available here; MySQL only when the connection string is set. */
  eachSupportedId(): DevLakeTestDatabaseId[] {
    if (!DevLakeTestDatabases.hasMySql()) {
      // eslint-disable-next-line no-console
      console.warn(`${envVar} is not set: the MariaDB/MySQL variants of these tests are skipped`);
      return ['SQLITE_3'];
    }
    return ['MYSQL_8', 'SQLITE_3'];
  }

  /** The server-level connection (no database) for admin statements in tests. */
  mySqlServerConnection() {
    return parseMySqlUrl(process.env[envVar]!);
  }

  async init(id: DevLakeTestDatabaseId): Promise<DevLakeTestDatabase> {
    const name = `devlake_test_${randomBytes(6).toString('hex')}`;
    if (id === 'MYSQL_8') {
      const server = this.mySqlServerConnection();
      const admin = knexFactory({ client: 'mysql2', connection: server, pool: { min: 0, max: 1 } });
      await admin.raw('CREATE DATABASE ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', [name]);
      const connection = { ...server, database: name, timezone: 'Z', dateStrings: true };
      const knex = knexFactory({ client: 'mysql2', connection, pool: { min: 0, max: 5 } });
      this.created.push(async () => {
        await knex.destroy();
        await admin.raw('DROP DATABASE IF EXISTS ??', [name]);
        await admin.destroy();
      });
      return { id, knex, client: 'mysql2', connection };
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-test-'));
    const filename = path.join(dir, `${name}.sqlite`);
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename },
      useNullAsDefault: true,
      pool: { min: 1, max: 1 },
    });
    this.created.push(async () => {
      await knex.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    return { id, knex, client: 'better-sqlite3', connection: { filename } };
  }

  /** Closes connections and drops every database created by `init`. */
  async cleanup(): Promise<void> {
    const tasks = this.created.splice(0);
    for (const task of tasks.reverse()) {
      await task();
    }
  }
}
