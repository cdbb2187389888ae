import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { createDevLakeSchema, DevLakeFixture, DevLakeTestDatabases } from '@fawkes/devlake-fixtures';
import { api } from './__testUtils__/api';
import { startDevLakeBackend } from './__testUtils__/backend';
import { TcpProxy } from './__testUtils__/tcpProxy';

jest.setTimeout(60_000);

const databases = new DevLakeTestDatabases();
afterAll(() => databases.cleanup());

const auth = { Authorization: mockCredentials.user.header('user:default/alice') };

function smallFixture() {
  const fx = new DevLakeFixture();
  fx.project('alpha');
  fx.deploymentCommit({ project: 'alpha', deploymentId: 'd1', finished: '2024-03-05T10:00:00Z' });
  fx.deploymentCommit({ project: 'alpha', deploymentId: 'd2', finished: '2024-03-06T10:00:00Z' });
  return fx;
}

describe.each(databases.eachSupportedId())('caching on %s', databaseId => {
  it('serves hits from the cache, misses from the database, and expires entries', async () => {
    const db = await databases.init(databaseId);
    await createDevLakeSchema(db.knex);
    await smallFixture().write(db.knex);
    const { server } = await startDevLakeBackend({
      database: { client: db.client, connection: db.connection },
      cache: { ttl: 2500 },
    });
    const history = (limit: string) =>
      api(server).get('/api/devlake/deployment-history').query({ service: 'alpha', limit }).set(auth);
    const dora = () =>
      api(server)
        .get('/api/devlake/dora-metrics')
        .query({ project: 'alpha', startDate: '2024-03-04', endDate: '2024-03-17' })
        .set(auth);

    const beforeFirst = Date.now();
    expect((await history('1')).body.total).toBe(2);
    const first = await dora();
    const afterFirst = Date.now();
    expect(first.body.metrics.deploymentFrequency.value).toBe(1);
    // Computed for this request: no cachedAt.
    expect(first.body).not.toHaveProperty('cachedAt');

    const fx = new DevLakeFixture();
    fx.deploymentCommit({ project: 'alpha', deploymentId: 'd3', finished: '2024-03-07T10:00:00Z' });
    await fx.write(db.knex);

    // Same parameters: cached. Another parameter value: a different key, read fresh.
    expect((await history('1')).body.total).toBe(2);
    const second = await dora();
    expect(second.body.metrics.deploymentFrequency.value).toBe(1);
    // From the cache: when the first answer's figures were computed.
    const cachedAt = Date.parse(second.body.cachedAt);
    expect(cachedAt).toBeGreaterThanOrEqual(beforeFirst);
    expect(cachedAt).toBeLessThanOrEqual(afterFirst);
    expect((await dora()).body.cachedAt).toBe(second.body.cachedAt);
    expect((await history('2')).body.total).toBe(3);

    await new Promise(resolve => setTimeout(resolve, 2700));
    const expired = await history('1');
    expect(expired.body.total).toBe(3);
    expect(expired.body.deployments[0].id).toBe('d3');
    const fresh = await dora();
    expect(fresh.body.metrics.deploymentFrequency.value).toBe(1.5);
    expect(fresh.body).not.toHaveProperty('cachedAt');
  }, 30_000);

  it('tells the series and each batch item’s age the same way', async () => {
    const db = await databases.init(databaseId);
    await createDevLakeSchema(db.knex);
    await smallFixture().write(db.knex);
    const { server } = await startDevLakeBackend({
      database: { client: db.client, connection: db.connection },
      cache: { ttl: 60_000 },
    });
    const period = { startDate: '2024-03-01', endDate: '2024-03-31' };
    const series = () => api(server).get('/api/devlake/dora-metrics/series').query({ project: 'alpha', ...period }).set(auth);
    expect((await series()).body).not.toHaveProperty('cachedAt');
    expect((await series()).body.cachedAt).toEqual(expect.any(String));

    const single = await api(server).get('/api/devlake/dora-metrics').query({ project: 'alpha', ...period }).set(auth);
    expect(single.body).not.toHaveProperty('cachedAt');
    const batch = await api(server)
      .post('/api/devlake/dora-metrics/batch')
      .set(auth)
      .send({ projects: ['alpha'], ...period });
    expect(batch.status).toBe(200);
    // The same cache entry as the single request's.
    expect(batch.body.items[0].response.cachedAt).toEqual(expect.any(String));
    expect(batch.body.items[0].response.metrics).toEqual(single.body.metrics);
  });
});

describe.each(databases.eachSupportedId())('devlake.cache.ttl 0 on %s', databaseId => {
  it('caches nothing (Keyv alone would keep the entries forever)', async () => {
    const db = await databases.init(databaseId);
    await createDevLakeSchema(db.knex);
    await smallFixture().write(db.knex);
    const { server } = await startDevLakeBackend({
      database: { client: db.client, connection: db.connection },
      cache: { ttl: 0 },
    });
    const history = () => api(server).get('/api/devlake/deployment-history').query({ service: 'alpha' }).set(auth);
    expect((await history()).body.total).toBe(2);
    const fx = new DevLakeFixture();
    fx.deploymentCommit({ project: 'alpha', deploymentId: 'd3', finished: '2024-03-07T10:00:00Z' });
    await fx.write(db.knex);
    expect((await history()).body.total).toBe(3);
  });
});

const mySqlOnly = DevLakeTestDatabases.hasMySql() ? describe : describe.skip;

mySqlOnly('database failures (MariaDB/MySQL)', () => {
  it('answers 503 while the database is down, 504 past the query timeout, and recovers', async () => {
    const db = await databases.init('MYSQL_8');
    await createDevLakeSchema(db.knex);
    await smallFixture().write(db.knex);
    const { host, port, user, password, database } = db.connection as any;
    const proxy = new TcpProxy(host, port);
    await proxy.start();
    try {
      const { server } = await startDevLakeBackend({
        database: {
          client: 'mysql2',
          connection: { host: '127.0.0.1', port: proxy.port, user, password, database },
          queryTimeout: 1000,
          connectTimeout: 1000,
        },
      });
      let day = 10;
      // A new endDate each time, so no answer comes from the cache.
      const get = () =>
        api(server)
          .get('/api/devlake/dora-metrics')
          .query({ project: 'alpha', startDate: '2024-03-01', endDate: `2024-03-${day++}` })
          .set(auth);

      expect((await get()).status).toBe(200);

      await proxy.stop();
      for (let i = 0; i < 2; i++) {
        const down = await get();
        expect(down.status).toBe(503);
        expect(down.body).toEqual({ error: 'DevLake database is unavailable' });
      }

      await proxy.start();
      expect((await get()).status).toBe(200);

      // Hold a write lock so the plugin's SELECT waits past its 1 s timeout.
      const locker = await db.knex.client.acquireConnection();
      try {
        await db.knex.raw('LOCK TABLES projects WRITE').connection(locker);
        const slow = await get();
        expect(slow.status).toBe(504);
        expect(slow.body).toEqual({ error: 'DevLake database query timed out' });
        await db.knex.raw('UNLOCK TABLES').connection(locker);
      } finally {
        await db.knex.client.releaseConnection(locker);
      }
      const recovered = await get();
      expect(recovered.status).toBe(200);
      expect(recovered.body.metrics.deploymentFrequency.value).not.toBeNull();
    } finally {
      await proxy.stop();
    }
  }, 60_000);

  it('answers 503 when the database refuses connections from the start', async () => {
    const proxy = new TcpProxy('127.0.0.1', 1);
    await proxy.start();
    const closedPort = proxy.port;
    await proxy.stop();
    const { server } = await startDevLakeBackend({
      database: {
        client: 'mysql2',
        connection: { host: '127.0.0.1', port: closedPort, user: 'nobody', password: 'x', database: 'lake' },
        connectTimeout: 1000,
      },
    });
    const res = await api(server).get('/api/devlake/deployment-history?service=alpha').set(auth);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: 'DevLake database is unavailable' });
  });

  describe('logs the cause of each 503 once, with the request id, and keeps the body', () => {
    const server = () => databases.mySqlServerConnection();
    const closedPort = async () => {
      const proxy = new TcpProxy('127.0.0.1', 1);
      await proxy.start();
      const port = proxy.port;
      await proxy.stop();
      return port;
    };
    it.each([
      [
        'a wrong database name',
        async () => ({ ...server(), database: 'devlake_no_such_database' }),
        /ER_BAD_DB_ERROR \(errno 1049\): Unknown database 'devlake_no_such_database'.*\[MySQL 127\.0\.0\.1:\d+\/devlake_no_such_database\]/,
      ],
      [
        'a wrong password',
        async () => ({ ...server(), password: 'not-the-password-5x7', database: 'lake' }),
        /ER_ACCESS_DENIED_ERROR \(errno 1045\): Access denied for user 'root'.*\[MySQL 127\.0\.0\.1:\d+\/lake\]/,
      ],
      [
        // MariaDB answers ER_ACCESS_DENIED_NO_PASSWORD_ERROR here, which used to be a masked 500.
        'a user that does not exist',
        async () => ({ ...server(), user: 'devlake_nobody', password: 'not-the-password-5x7', database: 'lake' }),
        /ER_ACCESS_DENIED(_NO_PASSWORD)?_ERROR \(errno (1698|1045)\): Access denied for user 'devlake_nobody'.*\[MySQL 127\.0\.0\.1:\d+\/lake\]/,
      ],
      [
        'a refused connection',
        async () => ({ ...server(), host: '127.0.0.1', port: await closedPort(), database: 'lake' }),
        /ECONNREFUSED.*connect ECONNREFUSED 127\.0\.0\.1:\d+.*\[MySQL 127\.0\.0\.1:\d+\/lake\]/,
      ],
      [
        'a TLS error',
        async () => ({ ...server(), database: 'lake', ssl: { rejectUnauthorized: true } }),
        /(HANDSHAKE_NO_SSL_SUPPORT|SSL|TLS|certificate|self.signed).*\[MySQL 127\.0\.0\.1:\d+\/lake\]/i,
      ],
    ])('for %s', async (_case, connection, cause) => {
      const logger = mockServices.logger.mock();
      const { server: backend } = await startDevLakeBackend(
        { database: { client: 'mysql2', connection: await connection(), connectTimeout: 1000 } },
        [logger.factory],
      );
      const res = await api(backend)
        .get('/api/devlake/deployment-history?service=alpha')
        .set({ ...auth, 'X-Request-Id': 'req-cause-1' });
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ error: 'DevLake database is unavailable' });
      expect(res.headers['x-request-id']).toBe('req-cause-1');
      const lines = logger.warn.mock.calls.map(call => String(call[0])).filter(line => line.includes('req-cause-1'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^GET \/api\/devlake\/deployment-history \(request req-cause-1\) answered 'DevLake database is unavailable': /);
      expect(lines[0]).toMatch(cause);
      // No secret: the configured password never reaches the log.
      const everything = JSON.stringify([logger.warn.mock.calls, logger.info.mock.calls, logger.error.mock.calls]);
      expect(everything).not.toContain('not-the-password-5x7');
    });
  });
});
