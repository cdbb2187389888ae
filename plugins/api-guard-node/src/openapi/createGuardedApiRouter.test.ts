import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import request from 'supertest';
import { apiGuardServiceRef } from '../apiGuardService';
import { ValidationError } from '../errors/ValidationError';
import { getRequestId } from '../requestId';
import { OpenApiDocument } from '../openApiDocument';
import { createGuardedApiRouter } from './createGuardedApiRouter';

const spec: OpenApiDocument = {
  openapi: '3.1.0',
  info: { title: 'things', version: '1' },
  paths: {
    '/things': {
      get: {
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'string', pattern: '^[0-9]+$' } },
          { name: 'kind', in: 'query', schema: { type: 'string', enum: ['a', 'b'] } },
        ],
        responses: { '200': { description: 'ok' } },
      },
      post: {
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['name', 'size'],
                properties: { name: { type: 'string', maxLength: 5 }, size: { type: 'integer' } },
              },
            },
          },
        },
        responses: { '201': { description: 'created' } },
      },
    },
  },
};

let handlerCalls = 0;
const thingsPlugin = createBackendPlugin({
  pluginId: 'things',
  register(env) {
    env.registerInit({
      deps: { guard: apiGuardServiceRef },
      async init({ guard }) {
        const router = createGuardedApiRouter({
          guard,
          spec,
          middleware: [
            (req, _res, next) => {
              const check = req.get('x-test-check');
              if (check === 'validation') {
                throw new ValidationError('kind must be chosen', [{ path: 'query.kind', message: 'must be chosen' }]);
              }
              if (check === 'unavailable') throw new ServiceUnavailableError('Store is down');
              next();
            },
          ],
        });
        router.get('/things', (req, res) => {
          handlerCalls++;
          res.json({ query: req.query, requestId: getRequestId(req) });
        });
        router.post('/things', (req, res) => {
          handlerCalls++;
          if (req.body.name === 'taken') throw new InputError('Name is taken');
          res.status(201).json(req.body);
        });
      },
    });
  },
});

const alice = mockCredentials.user.header('user:default/alice');

describe('createGuardedApiRouter', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [thingsPlugin, mockServices.rootConfig.factory({ data: { apiGuard: { maxBodySize: '1kb' } } })],
    }));
  });
  beforeEach(() => {
    handlerCalls = 0;
  });

  it('puts the guard first: no credentials is a 401 before validation', async () => {
    const res = await request(server)
      .post('/api/things/things')
      .set('Authorization', mockCredentials.none.header())
      .send({ bad: true });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: expect.any(String) });
  });

  it('answers one 400 body listing every problem of a body', async () => {
    const res = await request(server)
      .post('/api/things/things')
      .set('Authorization', alice)
      .send({ name: 'far too long', extra: 1 });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/^Invalid request: /);
    expect(res.body.details).toEqual(
      expect.arrayContaining([
        { path: 'body.size', message: 'is required' },
        { path: 'body.name', message: expect.stringMatching(/must NOT have more than 5 characters/) },
        { path: 'body', message: expect.stringMatching(/additional properties/) },
      ]),
    );
    expect(res.body.details).toHaveLength(3);
    expect(Object.keys(res.body)).toEqual(['error', 'details']);
    expect(handlerCalls).toBe(0);
  });

  it('answers the same shape for query problems, unknown parameters included', async () => {
    const bad = await request(server).get('/api/things/things?limit=x&kind=c').set('Authorization', alice);
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([
      { path: 'query.limit', message: expect.stringMatching(/must match pattern/) },
      { path: 'query.kind', message: expect.stringMatching(/must be equal to one of the allowed values/) },
    ]);
    const unknown = await request(server).get('/api/things/things?color=red').set('Authorization', alice);
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({
      error: expect.stringMatching(/Unknown query parameter 'color'/),
      details: [{ path: '(request)', message: expect.stringMatching(/color/) }],
    });
    expect(handlerCalls).toBe(0);
  });

  it('lets valid requests through, and the handlers\' own errors keep their message', async () => {
    const ok = await request(server).post('/api/things/things').set('Authorization', alice).send({ name: 'ab', size: 2 });
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual({ name: 'ab', size: 2 });
    const taken = await request(server).post('/api/things/things').set('Authorization', alice).send({ name: 'taken', size: 2 });
    expect(taken.status).toBe(400);
    expect(taken.body).toEqual({ error: 'Name is taken' });
    const listed = await request(server).get('/api/things/things?limit=5').set('Authorization', alice);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ query: { limit: '5' }, requestId: listed.headers['x-request-id'] });
  });

  it('answers the errors of the caller\'s middleware as they are, details and status kept', async () => {
    // Even for a query the validator would reject too (unknown parameter): the middleware runs first.
    const own = await request(server)
      .get('/api/things/things?color=red')
      .set('Authorization', alice)
      .set('x-test-check', 'validation');
    expect(own.status).toBe(400);
    expect(own.body).toEqual({ error: 'kind must be chosen', details: [{ path: 'query.kind', message: 'must be chosen' }] });
    const down = await request(server)
      .post('/api/things/things')
      .set('Authorization', alice)
      .set('x-test-check', 'unavailable')
      .send({ name: 'ab', size: 2 });
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ error: 'Store is down' });
    expect(handlerCalls).toBe(0);
  });

  it('gives every response an X-Request-Id: the caller\'s plain token, else a new UUID', async () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const given = await request(server).get('/api/things/things').set('Authorization', alice).set('X-Request-Id', 'trace-42.a:b');
    expect(given.status).toBe(200);
    expect(given.headers['x-request-id']).toBe('trace-42.a:b');
    expect(given.body.requestId).toBe('trace-42.a:b');
    const unsafe = await request(server).get('/api/things/things').set('Authorization', alice).set('X-Request-Id', 'a b<script>');
    expect(unsafe.headers['x-request-id']).toMatch(uuid);
    expect(unsafe.body.requestId).toBe(unsafe.headers['x-request-id']);
    const tooLong = await request(server).get('/api/things/things').set('Authorization', alice).set('X-Request-Id', 'x'.repeat(129));
    expect(tooLong.headers['x-request-id']).toMatch(uuid);
    const fresh = await Promise.all([1, 2].map(() => request(server).get('/api/things/things').set('Authorization', alice)));
    expect(fresh[0].headers['x-request-id']).toMatch(uuid);
    expect(fresh[0].headers['x-request-id']).not.toBe(fresh[1].headers['x-request-id']);
    const unauthenticated = await request(server).get('/api/things/things').set('Authorization', mockCredentials.none.header());
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers['x-request-id']).toMatch(uuid);
    const invalid = await request(server).get('/api/things/things?limit=x').set('Authorization', alice).set('X-Request-Id', 'r-1');
    expect(invalid.status).toBe(400);
    expect(invalid.headers['x-request-id']).toBe('r-1');
    const missing = await request(server).get('/api/things/nowhere').set('Authorization', alice);
    expect(missing.status).toBe(404);
    expect(missing.headers['x-request-id']).toMatch(uuid);
  });

  it('keeps the guard\'s body cap (the validator does not parse the body again)', async () => {
    const res = await request(server)
      .post('/api/things/things')
      .set('Authorization', alice)
      .send({ name: 'x'.repeat(2000), size: 1 });
    expect(res.status).toBe(413);
  });

  it('serves the document as written at /openapi.json', async () => {
    const res = await request(server).get('/api/things/openapi.json').set('Authorization', alice);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(spec);
  });
});
