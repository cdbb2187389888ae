import { mockCredentials, startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { OpenApiDocument } from '../openApiDocument';
import { createOpenApiResponseChecker } from './openApiResponses';
import { createProbePlugin } from './createProbePlugin';

const spec: OpenApiDocument = {
  openapi: '3.1.0',
  info: { title: 'probe', version: '1' },
  paths: {
    '/whoami': {
      get: {
        responses: {
          '200': {
            description: 'caller',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['kind', 'id'],
                  additionalProperties: false,
                  properties: { kind: { enum: ['user', 'service'] }, id: { type: 'string' } },
                },
              },
            },
          },
          '401': { $ref: '#/components/responses/Error' },
        },
      },
    },
    '/missing': { get: { responses: { '404': { $ref: '#/components/responses/Error' } } } },
    '/boom': { get: { responses: { '200': { description: 'never' } } } },
  },
  components: {
    responses: {
      Error: {
        description: 'error',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['error'],
              properties: { error: { type: 'string', minLength: 1 } },
            },
          },
        },
      },
    },
  },
};

describe('createOpenApiResponseChecker', () => {
  const check = createOpenApiResponseChecker(spec, { basePath: '/api/probe' });
  const alice = mockCredentials.user.header('user:default/alice');
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  beforeAll(async () => {
    ({ server } = await startTestBackend({ features: [createProbePlugin('probe', { openApi: spec })] }));
  });

  it('accepts responses the document describes, through $ref too', async () => {
    await request(server).get('/api/probe/whoami').set('Authorization', alice).expect(200).expect(check);
    await request(server).get('/api/probe/missing').set('Authorization', alice).expect(404).expect(check);
    await request(server)
      .get('/api/probe/whoami')
      .set('Authorization', mockCredentials.none.header())
      .expect(401)
      .expect(check);
  });

  it('serves the document at /openapi.json behind the guard', async () => {
    const res = await request(server).get('/api/probe/openapi.json').set('Authorization', alice);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(spec);
    const anonymous = await request(server)
      .get('/api/probe/openapi.json')
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
  });

  it('rejects undocumented operations, statuses and bodies', async () => {
    const boom = await request(server).get('/api/probe/boom').set('Authorization', alice);
    expect(() => check(boom)).toThrow(/does not describe 500/);

    const unknown = await request(server).get('/api/probe/nope').set('Authorization', alice);
    expect(() => check(unknown)).toThrow(/no operation GET \/nope/);

    const whoami = await request(server).get('/api/probe/whoami').set('Authorization', alice);
    expect(() => check({ ...whoami, req: (whoami as any).req, body: { kind: 'robot', id: 'x' } })).toThrow(
      /does not match the OpenAPI document/,
    );
  });
});
