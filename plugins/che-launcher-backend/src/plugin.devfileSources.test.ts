import { coreServices, createServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { KubeApiTestServer } from '@fawkes/kube-api-test-server';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { stringify } from 'yaml';
import {
  checked,
  devfileUrl,
  DW,
  eventually,
  goldenDevfile,
  objectsOf,
  service,
  startCheLauncher,
  startKube,
  user,
} from './__testUtils__/harness';
import { DevfileTemplates } from './services/devfile/DevfileTemplates';

jest.setTimeout(60_000);

const templates = [
  {
    name: 'goldenpath-python',
    displayName: 'Python service',
    description: 'Python 3.12 with FastAPI',
    url: devfileUrl('goldenpath-python.yaml'),
    tags: ['python', 'backend'],
    resources: { cpu: '2', memory: '4Gi' },
  },
  { name: 'goldenpath-ai', url: devfileUrl('goldenpath-ai.yaml'), tags: ['python', 'ai'] },
];

const aiDevfile = goldenDevfile.replace('name: goldenpath-python', 'name: goldenpath-ai');
const customDevfile = goldenDevfile.replace('name: goldenpath-python', 'name: custom-devfile');

function component(name: string, annotations: Record<string, string>) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'platform-team' },
  };
}

const entities = [
  component('my-service', { 'eclipse.org/che-enabled': 'true', 'eclipse.org/che-devfile': 'goldenpath-python' }),
  component('own-devfile', {
    'eclipse.org/che-enabled': 'true',
    'eclipse.org/che-devfile': 'goldenpath-python',
    'eclipse.org/che-devfile-url': devfileUrl('custom.yaml'),
  }),
  component('not-enabled', { 'eclipse.org/che-devfile': 'goldenpath-python' }),
  component('no-devfile', { 'eclipse.org/che-enabled': 'true' }),
  component('unknown-template', { 'eclipse.org/che-enabled': 'true', 'eclipse.org/che-devfile': 'goldenpath-cobol' }),
  component('plain-http', { 'eclipse.org/che-enabled': 'true', 'eclipse.org/che-devfile-url': `http://devfiles.example.test/custom.yaml` }),
];

/** The permission framework allows everything, except reading catalog entities as mallory. */
const malloryCannotReadTheCatalog = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: () => {
    const decide = (requests: any[], options?: any) =>
      requests.map(r => ({
        result:
          r.permission?.name === 'catalog.entity.read' &&
          options?.credentials?.principal?.userEntityRef === 'user:default/mallory'
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      }));
    return {
      authorize: async (requests: any[], options?: any) => decide(requests, options) as any,
      authorizeConditional: async (requests: any[], options?: any) => decide(requests, options) as any,
    };
  },
});

describe('che-launcher: golden-path templates and entity devfiles', () => {
  let kube: KubeApiTestServer;
  let server: any;
  let stopBackend: () => Promise<void>;
  let tmp: string;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'che-entities-'));
    const catalogFile = path.join(tmp, 'entities.yaml');
    fs.writeFileSync(catalogFile, entities.map(e => stringify(e)).join('---\n'));
    kube = await startKube(['ivan-workspaces', 'mallory-workspaces'], { startDelayMs: 50, stopDelayMs: 50 });
    const backend = await startCheLauncher({
      kube,
      files: {
        '/goldenpath-python.yaml': { body: goldenDevfile },
        '/goldenpath-ai.yaml': { body: aiDevfile },
        '/custom.yaml': { body: customDevfile },
      },
      cheLauncher: { devfiles: templates, limits: { maxRunningWorkspacesPerUser: -1 } },
      config: {
        catalog: {
          processingInterval: { seconds: 1 },
          rules: [{ allow: ['Component'] }],
          locations: [{ type: 'file', target: catalogFile }],
        },
      },
      features: [catalogPlugin, malloryCannotReadTheCatalog],
    });
    server = backend.server;
    stopBackend = () => backend.stop();
    await eventually(async () => {
      const res = await request(server)
        .get('/api/catalog/entities/by-query?filter=kind=component&limit=1')
        .set('Authorization', service());
      return res.body.totalItems === entities.length;
    }, 45_000);
  });

  afterAll(async () => {
    await stopBackend?.();
    await kube?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const create = (body: unknown, as = user('ivan')) =>
    checked(server).post('/api/che-launcher/workspaces').set('Authorization', as).send(body as object);
  const devWorkspaces = (namespace = 'ivan-workspaces') => objectsOf(kube, { ...DW, namespace });

  describe('GET /devfiles', () => {
    it('lists cheLauncher.devfiles in config order, defaults filled in', async () => {
      const res = await checked(server).get('/api/che-launcher/devfiles').set('Authorization', user('ivan'));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        devfiles: [
          templates[0],
          {
            name: 'goldenpath-ai',
            displayName: 'goldenpath-ai',
            description: null,
            url: devfileUrl('goldenpath-ai.yaml'),
            tags: ['python', 'ai'],
            resources: {},
          },
        ],
      });
    });

    it('is guarded like every route', async () => {
      for (const header of [mockCredentials.none.header(), mockCredentials.user.invalidHeader(), 'Bearer not-a-token']) {
        const res = await checked(server).get('/api/che-launcher/devfiles').set('Authorization', header);
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ error: expect.any(String) });
      }
    });

    it('is in the OpenAPI document', async () => {
      const res = await checked(server).get('/api/che-launcher/openapi.json').set('Authorization', user('ivan'));
      expect(res.body.paths['/devfiles'].get.operationId).toBe('ListDevfiles');
    });
  });

  describe('POST /workspaces {template}', () => {
    it('creates the workspace from the template’s devfile', async () => {
      const res = await create({ template: 'goldenpath-ai', name: 'from-template' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ name: 'from-template', devfile: { name: 'goldenpath-ai' } });
      const dw = devWorkspaces().find(d => d.metadata.name === 'from-template');
      expect(dw.metadata.annotations['che.eclipse.org/devfile-source']).toContain(devfileUrl('goldenpath-ai.yaml'));
      expect(dw.metadata.annotations['che-launcher.fawkes.io/entity-ref']).toBeUndefined();
    });

    it('refuses a template that is not configured with a 400 naming it, creating nothing', async () => {
      const before = devWorkspaces().length;
      const res = await create({ template: 'goldenpath-cobol' });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe(
        "Invalid template: no devfile template 'goldenpath-cobol' is configured (GET /devfiles lists them)",
      );
      expect(devWorkspaces()).toHaveLength(before);
    });
  });

  describe('POST /workspaces {entityRef}', () => {
    it('reads the entity’s template annotation and remembers the entity on the workspace', async () => {
      const res = await create({ entityRef: 'component:default/my-service', name: 'for-entity' });
      expect(res.status).toBe(201);
      expect(res.body.devfile.name).toBe('goldenpath-python');
      const dw = devWorkspaces().find(d => d.metadata.name === 'for-entity');
      expect(dw.metadata.annotations['che-launcher.fawkes.io/entity-ref']).toBe('component:default/my-service');
      const listed = await checked(server).get('/api/che-launcher/workspaces').set('Authorization', user('ivan'));
      expect(listed.body.workspaces.find((w: any) => w.name === 'for-entity').entityRef).toBe(
        'component:default/my-service',
      );
      const one = await checked(server)
        .get(`/api/che-launcher/workspaces/${res.body.workspaceId}`)
        .set('Authorization', user('ivan'));
      expect(one.body.entityRef).toBe('component:default/my-service');
    });

    it('prefers eclipse.org/che-devfile-url over the template name; a short ref means a component in default', async () => {
      const res = await create({ entityRef: 'own-devfile', name: 'own-devfile-ws' });
      expect(res.status).toBe(201);
      expect(res.body.devfile.name).toBe('custom-devfile');
      const dw = devWorkspaces().find(d => d.metadata.name === 'own-devfile-ws');
      expect(dw.metadata.annotations['che-launcher.fawkes.io/entity-ref']).toBe('component:default/own-devfile');
    });

    it.each([
      ['component:default/not-enabled', `Invalid entityRef: 'component:default/not-enabled' does not have eclipse.org/che-enabled: "true"`],
      ['component:default/no-devfile', "Invalid entityRef: 'component:default/no-devfile' names no devfile (eclipse.org/che-devfile or eclipse.org/che-devfile-url)"],
      ['component:default/unknown-template', "Invalid component:default/unknown-template's eclipse.org/che-devfile: no devfile template 'goldenpath-cobol' is configured (GET /devfiles lists them)"],
      ['component:default/plain-http', 'Invalid devfileUrl: URL must be HTTPS'],
      ['component:default/nowhere', "Invalid entityRef: the catalog has no entity 'component:default/nowhere' you may read"],
      ['component:', "Invalid entityRef: 'component:' is not an entity ref such as component:default/my-service"],
    ])('refuses %s with a 400 in words, creating nothing', async (entityRef, error) => {
      const before = devWorkspaces().length;
      const res = await create({ entityRef });
      expect({ status: res.status, error: res.body.error }).toEqual({ status: 400, error });
      expect(devWorkspaces()).toHaveLength(before);
    });

    it('reads the entity with the caller’s credentials: a user who may not read it gets the 400', async () => {
      const res = await create({ entityRef: 'component:default/my-service' }, user('mallory'));
      expect(res.status).toBe(400);
      expect(res.body.error).toBe(
        "Invalid entityRef: the catalog has no entity 'component:default/my-service' you may read",
      );
      expect(devWorkspaces('mallory-workspaces')).toHaveLength(0);
      // ivan, who may read it, can.
      expect((await create({ entityRef: 'component:default/my-service' })).status).toBe(201);
    });
  });

  describe('exactly one devfile source', () => {
    it.each([
      [{}, 'Invalid request body: devfileUrl is required'],
      [{ name: 'x' }, 'Invalid request body: devfileUrl is required'],
      [
        { devfileUrl: devfileUrl('goldenpath-python.yaml'), template: 'goldenpath-python' },
        'Invalid request body: (root) give exactly one of devfileUrl, template, entityRef; got devfileUrl, template',
      ],
      [
        { template: 'goldenpath-python', entityRef: 'component:default/my-service' },
        'Invalid request body: (root) give exactly one of devfileUrl, template, entityRef; got template, entityRef',
      ],
      [{ template: '' }, 'Invalid request body: template must not be empty'],
      [{ template: 7 }, 'Invalid request body: template must be a string'],
    ])('%j → 400', async (body, error) => {
      const before = devWorkspaces().length;
      const res = await create(body);
      expect({ status: res.status, error: res.body.error }).toEqual({ status: 400, error });
      expect(res.body.details?.length).toBeGreaterThan(0);
      expect(devWorkspaces()).toHaveLength(before);
    });
  });
});

describe('DevfileTemplates config', () => {
  const read = (devfiles: unknown) => DevfileTemplates.fromConfig(new ConfigReader({ devfiles } as any));

  it('refuses a broken entry at start-up with its index and field', () => {
    expect(() => read([{ name: 'a', url: 'http://x/devfile.yaml' }])).toThrow(
      'cheLauncher.devfiles[0].url must be an HTTPS URL without credentials',
    );
    expect(() => read([{ name: 'Bad_Name', url: 'https://x/d.yaml' }])).toThrow(/cheLauncher.devfiles\[0\].name must be/);
    expect(() => read([{ name: 'a', url: 'https://x/a.yaml' }, { name: 'a', url: 'https://x/b.yaml' }])).toThrow(
      "cheLauncher.devfiles[1].name 'a' is listed twice",
    );
    expect(() => read([{ name: 'a', url: 'https://x/a.yaml', resources: { cpu: { many: 1 } } }])).toThrow(
      'cheLauncher.devfiles[0].resources.cpu must be a string',
    );
  });

  it('is empty without config', () => {
    expect(DevfileTemplates.fromConfig(undefined).list()).toEqual([]);
  });
});
