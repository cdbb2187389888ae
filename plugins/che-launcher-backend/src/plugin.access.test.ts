import { coreServices, createServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { KubeApiTestServer } from '@fawkes/kube-api-test-server';
import { RESOURCE_TYPE_CHE_LAUNCHER_WORKSPACE } from '@fawkes/plugin-che-launcher-common';
import {
  checked, devfileUrl, DW, goldenDevfile, objectsOf, startCheLauncher, startKube, user } from './__testUtils__/harness';

const routes: Array<['get' | 'post' | 'delete', string]> = [
  ['post', '/workspaces'],
  ['get', '/workspaces'],
  ['get', '/workspaces/alice-workspaces.ws'],
  ['delete', '/workspaces/alice-workspaces.ws'],
  ['post', '/workspaces/alice-workspaces.ws/start'],
  ['post', '/workspaces/alice-workspaces.ws/stop'],
];

/** A DevWorkspace as the plugin would have made it, owned by `owner`. */
function seedWorkspace(kube: KubeApiTestServer, namespace: string, name: string, owner: string) {
  const { ownerLabelValue } = require('./model/names');
  kube.createObject(
    { ...DW, namespace },
    {
      apiVersion: 'workspace.devfile.io/v1alpha2',
      kind: 'DevWorkspace',
      metadata: {
        name,
        labels: {
          'app.kubernetes.io/managed-by': 'backstage-che-launcher',
          'che-launcher.fawkes.io/owner-hash': ownerLabelValue(owner),
        },
        annotations: { 'che-launcher.fawkes.io/owner': owner },
      },
      spec: { started: false },
    } as any,
  );
}

/**
 * Stands in for an adopter's policy: a conditional decision with the plugin's owner rule, the
 * claims computed per user (e.g. from group membership).
 */
function conditionalPolicy(claimsOf: (userEntityRef: string) => string[]) {
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () => ({
      authorize: async (requests: any[]) => requests.map(() => ({ result: AuthorizeResult.ALLOW })),
      authorizeConditional: async (requests: any[], { credentials }: any) =>
        requests.map(() => ({
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'che-launcher',
          resourceType: RESOURCE_TYPE_CHE_LAUNCHER_WORKSPACE,
          conditions: {
            rule: 'IS_WORKSPACE_OWNER',
            resourceType: RESOURCE_TYPE_CHE_LAUNCHER_WORKSPACE,
            params: { claims: claimsOf(credentials.principal.userEntityRef) },
          },
        })),
    }),
  }) as any;
}

describe('che-launcher access control', () => {
  let kube: KubeApiTestServer;

  beforeAll(async () => {
    kube = await startKube(['alice-workspaces', 'bob-workspaces']);
    seedWorkspace(kube, 'alice-workspaces', 'ws', 'user:default/alice');
  });

  afterAll(async () => {
    await kube?.stop();
  });

  describe('authentication', () => {
    let backend: Awaited<ReturnType<typeof startCheLauncher>>;
    beforeAll(async () => {
      backend = await startCheLauncher({ kube });
    });
    afterAll(() => backend.stop());

    it.each(routes)('%s %s rejects missing and invalid tokens with 401', async (method, path) => {
      for (const header of [
        mockCredentials.none.header(),
        mockCredentials.user.invalidHeader(),
        'Bearer not-a-token',
      ]) {
        const res = await checked(backend.server)
          [method](`/api/che-launcher${path}`)
          .set('Authorization', header)
          .send({ devfileUrl: devfileUrl('goldenpath-python.yaml') });
        expect(res.status).toBe(401);
        expect(typeof res.body.error).toBe('string');
      }
      expect(objectsOf(kube, { ...DW, namespace: 'alice-workspaces' })).toHaveLength(1);
    });
  });

  describe('a DENY policy', () => {
    let backend: Awaited<ReturnType<typeof startCheLauncher>>;
    beforeAll(async () => {
      backend = await startCheLauncher({
        kube,
        files: { '/goldenpath-python.yaml': { body: goldenDevfile } },
        features: [mockServices.permissions.factory({ result: AuthorizeResult.DENY })],
      });
    });
    afterAll(() => backend.stop());

    it('forbids creating and listing, and hides workspaces', async () => {
      const api = (method: 'get' | 'post' | 'delete', path: string) =>
        checked(backend.server)[method](`/api/che-launcher${path}`).set('Authorization', user('alice'));

      const create = await api('post', '/workspaces').send({ devfileUrl: devfileUrl('goldenpath-python.yaml') });
      expect(create.status).toBe(403);
      expect(create.body).toEqual({ error: 'Permission denied' });
      const list = await api('get', '/workspaces');
      expect(list.status).toBe(403);
      expect(list.body).toEqual({ error: 'Permission denied' });
      for (const [method, path] of routes.slice(2)) {
        const res = await api(method, path);
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ error: 'Workspace not found' });
      }
      // Nothing was created, stopped or deleted.
      const objects = objectsOf(kube, DW);
      expect(objects.map(o => o.metadata.name)).toEqual(['ws']);
      expect(kube.requests.filter(r => r.method !== 'GET')).toEqual([]);
    });
  });

  describe('conditional decisions', () => {
    it('can widen access beyond the owner when ownerOnly is off', async () => {
      const backend = await startCheLauncher({
        kube,
        cheLauncher: { access: { ownerOnly: false } },
        features: [conditionalPolicy(ref =>
            ref === 'user:default/bob' ? [ref, 'user:default/alice'] : [ref],
          )],
      });
      const res = await checked(backend.server)
        .get('/api/che-launcher/workspaces/alice-workspaces.ws')
        .set('Authorization', user('bob'));
      expect(res.status).toBe(200);
      expect(res.body.owner).toBe('user:default/alice');
      const list = await checked(backend.server)
        .get('/api/che-launcher/workspaces')
        .set('Authorization', user('bob'));
      expect(list.body.workspaces.map((w: any) => w.workspaceId)).toEqual(['alice-workspaces.ws']);
      // A user outside the claims still sees nothing.
      const carol = await checked(backend.server)
        .get('/api/che-launcher/workspaces/alice-workspaces.ws')
        .set('Authorization', user('carol'));
      expect(carol.status).toBe(404);
      await backend.stop();
    });

    it('keeps owner-only access by default, whatever the policy allows', async () => {
      const backend = await startCheLauncher({
        kube,
        features: [conditionalPolicy(ref =>
            ref === 'user:default/bob' ? [ref, 'user:default/alice'] : [ref],
          )],
      });
      const res = await checked(backend.server)
        .get('/api/che-launcher/workspaces/alice-workspaces.ws')
        .set('Authorization', user('bob'));
      expect(res.status).toBe(404);
      const own = await checked(backend.server)
        .get('/api/che-launcher/workspaces/alice-workspaces.ws')
        .set('Authorization', user('alice'));
      expect(own.status).toBe(200);
      await backend.stop();
    });

    it('can narrow access below the owner', async () => {
      const backend = await startCheLauncher({
        kube,
        features: [conditionalPolicy(() => ['user:default/nobody'])],
      });
      const res = await checked(backend.server)
        .get('/api/che-launcher/workspaces/alice-workspaces.ws')
        .set('Authorization', user('alice'));
      expect(res.status).toBe(404);
      const list = await checked(backend.server)
        .get('/api/che-launcher/workspaces')
        .set('Authorization', user('alice'));
      expect(list.body).toEqual({ workspaces: [], total: 0 });
      await backend.stop();
    });
  });
});
