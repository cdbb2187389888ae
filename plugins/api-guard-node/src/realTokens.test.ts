import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createServer, Server } from 'node:http';
import request from 'supertest';
import { createProbePlugin } from './testUtils/createProbePlugin';

// Service tokens as the API document issues them (`kubectl create token backstage-sa`):
// Kubernetes service-account JWTs, verified against the cluster's JWKS endpoint. Here the
// JWKS is served locally and the token is signed with its key, shaped like a real one.
const issuer = 'https://kubernetes.default.svc.cluster.local';
const audience = 'https://kubernetes.default.svc.cluster.local';
const saSubject = 'system:serviceaccount:backstage:backstage-sa';

describe('api guard with the real Backstage auth services', () => {
  let jwksServer: Server;
  let jwksUrl: string;
  let privateKey: CryptoKey;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

  const serviceAccountToken = (overrides: { issuer?: string; expiresIn?: string; key?: CryptoKey } = {}) =>
    new SignJWT({
      'kubernetes.io': { namespace: 'backstage', serviceaccount: { name: 'backstage-sa' } },
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'sa-key-1' })
      .setIssuer(overrides.issuer ?? issuer)
      .setAudience(audience)
      .setSubject(saSubject)
      .setIssuedAt()
      .setExpirationTime(overrides.expiresIn ?? '10m')
      .sign(overrides.key ?? privateKey);

  beforeAll(async () => {
    const keys = await generateKeyPair('RS256');
    privateKey = keys.privateKey as CryptoKey;
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'sa-key-1', alg: 'RS256', use: 'sig' };
    jwksServer = createServer((_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>(resolve => jwksServer.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(jwksServer.address() as { port: number }).port}/openid/v1/jwks`;

    ({ server } = await startTestBackend({
      features: [
        createProbePlugin('probe'),
        authServiceFactory,
        httpAuthServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            backend: {
              auth: {
                externalAccess: [
                  { type: 'static', options: { token: 'static-ci-token-123', subject: 'ci-bot' } },
                  { type: 'jwks', options: { url: jwksUrl, issuer, audience, algorithm: 'RS256' } },
                ],
              },
            },
          },
        }),
      ],
    }));
  });

  afterAll(async () => {
    await new Promise(resolve => jwksServer.close(resolve));
  });

  it('accepts a static service token and charges its own 1000/min budget', async () => {
    const res = await request(server).get('/api/probe/whoami').set('Authorization', 'Bearer static-ci-token-123');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ kind: 'service', id: 'ci-bot' });
    expect(res.headers['x-ratelimit-limit']).toBe('1000');
  });

  it('accepts a Kubernetes service-account token through externalAccess type jwks', async () => {
    const res = await request(server)
      .get('/api/probe/whoami')
      .set('Authorization', `Bearer ${await serviceAccountToken()}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ kind: 'service', id: `external:${saSubject}` });
  });

  it('rejects missing, malformed, unknown, expired, foreign-issuer and foreign-key tokens with 401', async () => {
    const otherKey = (await generateKeyPair('RS256')).privateKey as CryptoKey;
    const headers = [
      undefined,
      'Bearer',
      'Basic dXNlcjpwYXNz',
      'Bearer not.a.jwt',
      'Bearer static-ci-token-999',
      `Bearer ${await serviceAccountToken({ expiresIn: '-1m' })}`,
      `Bearer ${await serviceAccountToken({ issuer: 'https://evil.example.com' })}`,
      `Bearer ${await serviceAccountToken({ key: otherKey })}`,
    ];
    for (const header of headers) {
      const req = request(server).get('/api/probe/whoami');
      const res = await (header ? req.set('Authorization', header) : req);
      expect({ header, status: res.status }).toEqual({ header, status: 401 });
      expect(res.body).toEqual({ error: expect.any(String) });
    }
  });
});
