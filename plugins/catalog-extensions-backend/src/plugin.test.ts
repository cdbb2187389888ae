import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleFileLocations from '@fawkes/plugin-catalog-backend-module-file-locations';
import { createOpenApiResponseChecker } from '@fawkes/plugin-api-guard-node/testUtils';
import request from 'supertest';
import { catalogExtensionsPlugin } from './plugin';
import { loadOpenApiDocument } from './schema/openapi';
import * as fixtures from './testUtils/fixtures';
import { FixtureServer, waitFor } from './testUtils/fixtureServer';

jest.setTimeout(120_000);

// PostgreSQL runs only where its connection string is given (no docker here); say so otherwise.
const hasPostgres = Boolean(process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING);
if (!hasPostgres) {
  // eslint-disable-next-line no-console
  console.warn('BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is not set: SKIPPING the PostgreSQL catalog tests, running SQLite only');
}
const databases = TestDatabases.create({ ids: hasPostgres ? ['POSTGRES_15', 'SQLITE_3'] : ['SQLITE_3'] });

const user = mockCredentials.user.header('user:default/alice');
const service = mockCredentials.service.header();
const API = '/api/catalog-extensions';
const MAX_DOCUMENT_SIZE = 64 * 1024;

/** Every answer of the plugin is checked against its OpenAPI document. */
const check = createOpenApiResponseChecker(loadOpenApiDocument(), { basePath: API });
const api = (app: any) => ({
  get: (url: string) => request(app).get(url).expect(check),
  post: (url: string) => request(app).post(url).expect(check),
});

const fixtureServer = new FixtureServer();
let tmp: string;
let allowedRoot: string;

beforeAll(async () => {
  await fixtureServer.start();
  fixtureServer.set('/valid/catalog-info.yaml', fixtures.validMultiDocument);
  fixtureServer.set('/filters/catalog-info.yaml', fixtures.filterEntities);
  fixtureServer.set('/service-token/catalog-info.yaml', fixtures.singleComponent('svc-by-service'));
  fixtureServer.set('/dry-run/catalog-info.yaml', fixtures.singleComponent('svc-dry'));
  fixtureServer.set('/denied/catalog-info.yaml', fixtures.singleComponent('svc-denied'));
  fixtureServer.set('/breaks-later/catalog-info.yaml', fixtures.singleComponent('svc-breaks'));
  fixtureServer.set('/missing-name.yaml', fixtures.missingName);
  fixtureServer.set('/unknown-kind.yaml', fixtures.unknownKind);
  fixtureServer.set('/malformed-kind.yaml', fixtures.malformedKind);
  fixtureServer.set('/bad-name.yaml', fixtures.badName);
  fixtureServer.set('/several-problems.yaml', fixtures.severalProblems);
  fixtureServer.set('/not-yaml.yaml', fixtures.notYaml);
  fixtureServer.set('/html.yaml', fixtures.notAMapping);
  fixtureServer.set('/binary.yaml', Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x81]));
  fixtureServer.set('/empty.yaml', '');
  fixtureServer.set(
    '/oversized.yaml',
    `${fixtures.singleComponent('big')}  description: "${'x'.repeat(MAX_DOCUMENT_SIZE)}"\n`,
  );

  tmp = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'catalog-ext-')));
  allowedRoot = path.join(tmp, 'allowed');
  await fs.mkdir(allowedRoot);
  await fs.writeFile(path.join(allowedRoot, 'catalog-info.yaml'), fixtures.singleComponent('svc-from-file'));
  await fs.writeFile(path.join(tmp, 'outside.yaml'), fixtures.singleComponent('svc-outside'));
  await fs.symlink(path.join(tmp, 'outside.yaml'), path.join(allowedRoot, 'escape.yaml'));
});

afterAll(async () => {
  await fixtureServer.stop();
  await fs.rm(tmp, { recursive: true, force: true });
});

function configData(catalogExtensions: Record<string, unknown> = {}) {
  return {
    backend: { reading: { allow: [{ host: fixtureServer.host }] } },
    // the suite sends more than the default 100 requests a minute as alice
    apiGuard: { rateLimit: { user: { limit: 10_000 } } },
    catalog: {
      processingInterval: { seconds: 1 },
      rules: [{ allow: ['Component', 'API', 'Location', 'System', 'Group'] }],
    },
    catalogExtensions: { allowedFileRoots: [allowedRoot], maxDocumentSize: MAX_DOCUMENT_SIZE, ...catalogExtensions },
  };
}

async function startBackend(databaseId: TestDatabaseId, extra: any[] = [], catalogExtensions?: Record<string, unknown>) {
  const knex = await databases.init(databaseId);
  const backend = await startTestBackend({
    features: [
      catalogExtensionsPlugin,
      catalogPlugin,
      catalogModuleFileLocations,
      mockServices.rootConfig.factory({ data: configData(catalogExtensions) }),
      mockServices.database.factory({ knex }),
      ...extra,
    ],
  });
  return { server: backend.server, knex };
}

describe.each(databases.eachSupportedId())('catalog-extensions on %p', databaseId => {
  let server: any;

  /** Targets the core catalog knows, read through its own API. */
  async function registeredTargets(): Promise<string[]> {
    const res = await request(server).get('/api/catalog/locations').set('Authorization', service);
    expect(res.status).toBe(200);
    return res.body.map((l: any) => l.data.target);
  }

  async function entities(query: string, auth = user): Promise<any[]> {
    const res = await api(server).get(`${API}/entities${query}`).set('Authorization', auth);
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body)).toBe(true);
    return res.body;
  }

  async function registerAndWait(target: string, auth = user) {
    const res = await api(server).post(`${API}/locations`).set('Authorization', auth).send({ type: 'url', target });
    expect(res.status).toBe(201);
    return waitFor(
      async () => {
        const status = await api(server).get(`${API}/locations/${res.body.locationId}`).set('Authorization', auth);
        return status.body.status === 'registered' ? status.body : undefined;
      },
      60_000,
      `location ${target} to be registered`,
    );
  }

  beforeAll(async () => {
    ({ server } = await startBackend(databaseId));
  });

  describe('POST /locations with a valid file', () => {
    const target = () => fixtureServer.url('/valid/catalog-info.yaml');
    let locationId: string;

    it('answers 201 processing, then the location becomes registered with its entities', async () => {
      const res = await api(server).post(`${API}/locations`).set('Authorization', user).send({ type: 'url', target: target() });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ locationId: expect.any(String), type: 'url', target: target(), status: 'processing' });
      locationId = res.body.locationId;

      const status = await waitFor(
        async () => {
          const s = await api(server).get(`${API}/locations/${locationId}`).set('Authorization', user);
          expect(s.status).toBe(200);
          // 'registered' shows with the first entity; wait for both under a loaded machine
          return s.body.status === 'registered' && s.body.entityRefs.length === 2 ? s.body : undefined;
        },
        60_000,
        'registration',
      );
      expect(status).toEqual({
        locationId,
        type: 'url',
        target: target(),
        status: 'registered',
        entityRefs: ['api:default/api-a', 'component:default/svc-a'],
        errors: [],
      });
    });

    it('serves the entities through GET /entities with filter and fields', async () => {
      const [entity] = await entities('?filter=kind=Component,metadata.name=svc-a');
      expect(entity).toMatchObject({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'svc-a',
          description: 'Microservice for user management',
          labels: { 'app.fawkes.idp/team': 'platform-team' },
        },
        spec: { type: 'service', lifecycle: 'production', owner: 'platform-team' },
      });
      const projected = await entities('?filter=kind=Component,metadata.name=svc-a&fields=kind,metadata.name,spec.owner');
      expect(projected).toEqual([{ kind: 'Component', metadata: { name: 'svc-a' }, spec: { owner: 'platform-team' } }]);
    });

    it('answers 409 for the same location again', async () => {
      const res = await api(server).post(`${API}/locations`).set('Authorization', user).send({ type: 'url', target: target() });
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ error: `Location url:${target()} already exists` });
    });
  });

  describe('POST /locations with broken targets', () => {
    const cases: Array<[string, () => { type: string; target: string }, RegExp]> = [
      ['missing metadata.name', () => ({ type: 'url', target: fixtureServer.url('/missing-name.yaml') }), /^Invalid catalog-info\.yaml: missing required field 'metadata\.name'$/],
      ['an unknown kind', () => ({ type: 'url', target: fixtureServer.url('/unknown-kind.yaml') }), /^Invalid catalog-info\.yaml: unknown kind 'Widget'/],
      ['a malformed kind', () => ({ type: 'url', target: fixtureServer.url('/malformed-kind.yaml') }), /^Invalid catalog-info\.yaml: invalid 'kind'/],
      ['a bad name format', () => ({ type: 'url', target: fixtureServer.url('/bad-name.yaml') }), /^Invalid catalog-info\.yaml: invalid 'metadata\.name': expected sequences of \[a-zA-Z0-9\]/],
      ['non-YAML content', () => ({ type: 'url', target: fixtureServer.url('/not-yaml.yaml') }), /^Invalid catalog-info\.yaml: YAML syntax error at line \d+/],
      ['an HTML page', () => ({ type: 'url', target: fixtureServer.url('/html.yaml') }), /^Invalid catalog-info\.yaml: the document is not a mapping/],
      ['binary content', () => ({ type: 'url', target: fixtureServer.url('/binary.yaml') }), /^Invalid catalog-info\.yaml: the file is not UTF-8 text$/],
      ['an empty file', () => ({ type: 'url', target: fixtureServer.url('/empty.yaml') }), /^Invalid catalog-info\.yaml: the file contains no entities$/],
      ['a 404 target', () => ({ type: 'url', target: fixtureServer.url('/nope.yaml') }), /^Unable to read http:\/\/127\.0\.0\.1:\d+\/nope\.yaml: not found \(404\)$/],
      ['a host the backend may not read', () => ({ type: 'url', target: 'http://127.0.0.2:9/catalog-info.yaml' }), /^Unable to read .*: reading from this host is not allowed/],
      ['an ftp: URL', () => ({ type: 'url', target: `ftp://${fixtureServer.host}/valid/catalog-info.yaml` }), /^Invalid target: URL scheme 'ftp:' is not supported/],
      ['a file: URL as url', () => ({ type: 'url', target: `file://${allowedRoot}/catalog-info.yaml` }), /^Invalid target: URL scheme 'file:' is not supported/],
      ['a file: URL as file', () => ({ type: 'file', target: `file://${allowedRoot}/catalog-info.yaml` }), /^Invalid target: a file target is a path, not a URL/],
      ['a ../ escape', () => ({ type: 'file', target: `${allowedRoot}/../outside.yaml` }), /is outside the allowed file roots/],
      ['a symlink out of the root', () => ({ type: 'file', target: `${allowedRoot}/escape.yaml` }), /is outside the allowed file roots/],
      ['a missing file', () => ({ type: 'file', target: `${allowedRoot}/nope.yaml` }), /^Unable to read .*nope\.yaml: no such file$/],
      ['a directory', () => ({ type: 'file', target: allowedRoot }), /not a regular file/],
      ['an unknown type', () => ({ type: 'github', target: fixtureServer.url('/valid/catalog-info.yaml') }), /^Invalid request: body\.type must be equal to one of the allowed values: url, file$/],
    ];

    it.each(cases)('answers 400 for %s and registers nothing', async (_name, body, message) => {
      const before = await registeredTargets();
      const res = await api(server).post(`${API}/locations`).set('Authorization', user).send(body());
      expect(res.status).toBe(400);
      expect(res.body.error).toMatch(message);
      expect(await registeredTargets()).toEqual(before);
    });

    it('lists every problem of every document in details', async () => {
      const res = await api(server)
        .post(`${API}/locations`)
        .set('Authorization', user)
        .send({ type: 'url', target: fixtureServer.url('/several-problems.yaml') });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe("Invalid catalog-info.yaml: missing required field 'metadata.name' in document 1 (and 1 more problem, see details)");
      expect(res.body.details).toEqual([
        { document: 1, path: 'metadata.name', message: "missing required field 'metadata.name'" },
        { document: 1, path: 'metadata.labels.bad key!', message: expect.stringContaining('is not a valid label key') },
      ]);
    });

    it('answers 400 for extra body fields and non-JSON bodies', async () => {
      const extra = await api(server)
        .post(`${API}/locations`)
        .set('Authorization', user)
        .send({ type: 'url', target: fixtureServer.url('/valid/catalog-info.yaml'), presence: 'optional' });
      expect(extra.status).toBe(400);
      expect(extra.body).toEqual({
        error: 'Invalid request: body must NOT have additional properties',
        details: [{ path: 'body', message: 'must NOT have additional properties' }],
      });
      const text = await api(server).post(`${API}/locations`).set('Authorization', user).set('Content-Type', 'text/plain').send('type=url');
      expect(text.status).toBe(400);
      expect(text.body).toEqual({ error: 'Invalid request: Content-Type must be application/json' });
      const none = await api(server).post(`${API}/locations`).set('Authorization', user);
      expect(none.status).toBe(400);
      expect(none.body).toEqual({ error: 'Invalid request: Content-Type must be application/json' });
    });
  });

  describe('requests the OpenAPI document does not allow', () => {
    it.each([
      ['a missing target', '', { type: 'url' }, [{ path: 'body.target', message: 'is required' }]],
      ['an empty JSON body', '', undefined, [{ path: 'body.type', message: 'is required' }, { path: 'body.target', message: 'is required' }]],
      ['a target that is not a string', '', { type: 'url', target: 42 }, [{ path: 'body.target', message: 'must be string' }]],
      ['an empty target', '', { type: 'url', target: '' }, [{ path: 'body.target', message: 'must NOT have fewer than 1 characters' }]],
      ['a dryRun that is not true/false', '?dryRun=yes', { type: 'url', target: 'https://example.com/c.yaml' }, [{ path: 'query.dryRun', message: 'must be equal to one of the allowed values: true, false' }]],
      ['an unknown query parameter', '?force=true', { type: 'url', target: 'https://example.com/c.yaml' }, [{ path: '(request)', message: "Unknown query parameter 'force'" }]],
    ])('POST /locations answers 400 for %s and registers nothing', async (_name, query, body, details) => {
      const before = await registeredTargets();
      const req = api(server).post(`${API}/locations${query}`).set('Authorization', user);
      const res = body === undefined ? await req.set('Content-Type', 'application/json') : await req.send(body);
      expect(res.status).toBe(400);
      // The shared request path's one 400 body: every problem the document finds, in `details`.
      const error = `Invalid request: ${details.map(d => (d.path === '(request)' ? d.message : `${d.path} ${d.message}`)).join('; ')}`;
      expect(res.body).toEqual({ error, details });
      expect(await registeredTargets()).toEqual(before);
    });

    it('reports the problems its own checks find with details', async () => {
      const res = await api(server).post(`${API}/locations`).set('Authorization', user).send({ type: 'url', target: '   ' });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error: 'Invalid request body: target: Too small: expected string to have >=1 characters',
        details: [{ path: 'target', message: 'Too small: expected string to have >=1 characters' }],
      });
    });

    it('serves the document itself at GET /openapi.json, behind authentication', async () => {
      const res = await api(server).get(`${API}/openapi.json`).set('Authorization', user);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(loadOpenApiDocument());
      expect(Object.keys(res.body.paths).sort()).toEqual(['/entities', '/locations', '/locations/{locationId}', '/openapi.json']);
      const anonymous = await api(server).get(`${API}/openapi.json`).set('Authorization', mockCredentials.none.header());
      expect(anonymous.status).toBe(401);
    });
  });

  it('registers a file location inside an allowed root, by its resolved path', async () => {
    const res = await api(server)
      .post(`${API}/locations`)
      .set('Authorization', user)
      .send({ type: 'file', target: `${allowedRoot}/./sub/../catalog-info.yaml`.replace('/sub/..', '') });
    expect(res.status).toBe(201);
    expect(res.body.target).toBe(path.join(allowedRoot, 'catalog-info.yaml'));
    const status = await waitFor(
      async () => {
        const s = await api(server).get(`${API}/locations/${res.body.locationId}`).set('Authorization', user);
        return s.body.status === 'registered' ? s.body : undefined;
      },
      60_000,
      'file registration',
    );
    expect(status.entityRefs).toEqual(['component:default/svc-from-file']);
  });

  it('dry run validates and returns the entities without registering', async () => {
    const target = fixtureServer.url('/dry-run/catalog-info.yaml');
    const res = await api(server).post(`${API}/locations?dryRun=true`).set('Authorization', user).send({ type: 'url', target });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: true, type: 'url', target, exists: false });
    expect(res.body.entities.map((e: any) => `${e.kind}:${e.metadata.name}`)).toEqual(['Component:svc-dry']);
    expect(await registeredTargets()).not.toContain(target);

    const broken = await api(server)
      .post(`${API}/locations?dryRun=true`)
      .set('Authorization', user)
      .send({ type: 'url', target: fixtureServer.url('/missing-name.yaml') });
    expect(broken.status).toBe(400);
    expect(broken.body.error).toBe("Invalid catalog-info.yaml: missing required field 'metadata.name'");
  });

  it('a service token registers and reads too', async () => {
    const status = await registerAndWait(fixtureServer.url('/service-token/catalog-info.yaml'), service);
    expect(status.entityRefs).toEqual(['component:default/svc-by-service']);
    const found = await entities('?filter=metadata.name=svc-by-service&fields=metadata.name', service);
    expect(found).toEqual([{ metadata: { name: 'svc-by-service' } }]);
  });

  it('reports failed with the catalog processing error when the target breaks after registration', async () => {
    const target = fixtureServer.url('/breaks-later/catalog-info.yaml');
    fixtureServer.set('/breaks-later/catalog-info.yaml', fixtures.singleComponent('svc-breaks'));
    const registered = await registerAndWait(target);
    fixtureServer.set('/breaks-later/catalog-info.yaml', fixtures.missingName);
    const failed = await waitFor(
      async () => {
        const s = await api(server).get(`${API}/locations/${registered.locationId}`).set('Authorization', user);
        return s.body.status === 'failed' ? s.body : undefined;
      },
      60_000,
      'the location to fail',
    );
    expect(failed.errors.length).toBeGreaterThan(0);
    expect(failed.errors[0]).toEqual({ entityRef: expect.stringMatching(/^location:default\/generated-/), message: expect.stringContaining("required property 'name'") });
  });

  it('answers 413 for a target over catalogExtensions.maxDocumentSize and registers nothing', async () => {
    const before = await registeredTargets();
    const res = await api(server).post(`${API}/locations`).set('Authorization', user).send({ type: 'url', target: fixtureServer.url('/oversized.yaml') });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: 'The catalog-info.yaml is larger than the limit of 65536 bytes' });
    expect(await registeredTargets()).toEqual(before);
  });

  describe('kinds a caller may register (catalogExtensions.allowedKinds)', () => {
    it.each([
      ['a Group', '/kinds/group.yaml', fixtures.group('platform-admins'), 'Group'],
      ['a User giving itself groups', '/kinds/user.yaml', fixtures.userWithGroups('guest', ['group:default/platform-admins']), 'User'],
      ['a Location', '/kinds/location.yaml', fixtures.nestedLocation('to-passwd', 'file', '/etc/passwd'), 'Location'],
    ])('refuses %s with 400, also in a dry run, and registers nothing', async (_name, route, content, kind) => {
      fixtureServer.set(route, content);
      const before = await registeredTargets();
      for (const query of ['', '?dryRun=true']) {
        const res = await api(server).post(`${API}/locations${query}`).set('Authorization', user).send({ type: 'url', target: fixtureServer.url(route) });
        expect(res.status).toBe(400);
        expect(res.body.error).toBe(
          `Invalid catalog-info.yaml: kind '${kind}' may not be registered (catalogExtensions.allowedKinds: Component, API, System, Resource, Domain)`,
        );
      }
      expect(await registeredTargets()).toEqual(before);
    });
  });

  describe('one target, one location: targets are normalized before the duplicate check', () => {
    it('answers 409 for other spellings of a registered URL and 400 for control characters', async () => {
      fixtureServer.set('/normalized/ok.yaml', fixtures.singleComponent('svc-normalized'));
      const target = fixtureServer.url('/normalized/ok.yaml');
      const first = await api(server).post(`${API}/locations`).set('Authorization', user).send({ type: 'url', target: `${target}#x` });
      expect(first.status).toBe(201);
      expect(first.body.target).toBe(target);
      for (const spelling of [
        target,
        `${target}?a=1`,
        `${target}#y`,
        target.replace('http://', 'HTTP://'),
        fixtureServer.url('/normalized/./sub/../ok.yaml'),
      ]) {
        const res = await api(server).post(`${API}/locations`).set('Authorization', user).send({ type: 'url', target: spelling });
        expect({ spelling, status: res.status, body: res.body }).toEqual({ spelling, status: 409, body: { error: `Location url:${target} already exists` } });
      }
      const before = await registeredTargets();
      for (const bad of [`${target}\u0000`, `${target}\u0007x`, `${target.replace('ok', 'o\u0000k')}`]) {
        const res = await api(server).post(`${API}/locations`).set('Authorization', user).send({ type: 'url', target: bad });
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ error: 'Invalid target: control characters are not allowed' });
      }
      const file = await api(server).post(`${API}/locations`).set('Authorization', user).send({ type: 'file', target: `${allowedRoot}/catalog-info.yaml\u0000.txt` });
      expect(file.status).toBe(400);
      expect(file.body).toEqual({ error: 'Invalid target: control characters are not allowed' });
      expect(await registeredTargets()).toEqual(before);
    });
  });

  it('does not pass on the local paths or contents the catalog quotes in processing errors of file targets', async () => {
    const file = path.join(allowedRoot, 'breaks-later.yaml');
    await fs.writeFile(file, fixtures.singleComponent('svc-file-breaks'));
    const res = await api(server).post(`${API}/locations`).set('Authorization', user).send({ type: 'file', target: file });
    expect(res.status).toBe(201);
    await waitFor(
      async () => {
        const s = await api(server).get(`${API}/locations/${res.body.locationId}`).set('Authorization', user);
        return s.body.status === 'registered' ? s.body : undefined;
      },
      60_000,
      'the file location to be registered',
    );
    await fs.writeFile(file, '"SECRET-CONTENT"\n');
    const failed = await waitFor(
      async () => {
        const s = await api(server).get(`${API}/locations/${res.body.locationId}`).set('Authorization', user);
        return s.body.status === 'failed' ? s.body : undefined;
      },
      60_000,
      'the file location to fail',
    );
    expect(failed.errors.length).toBeGreaterThan(0);
    const text = JSON.stringify(failed.errors);
    expect(text).not.toContain(tmp);
    expect(text).not.toContain('SECRET-CONTENT');
    expect(text).not.toMatch(/got string|file:/);
    expect(failed.errors).toContainEqual({ entityRef: expect.any(String), message: 'A file target is not a valid catalog-info.yaml' });
  });

  describe('nested Location entities, when Location is an allowed kind', () => {
    let nested: any;
    beforeAll(async () => {
      ({ server: nested } = await startBackend(databaseId, [], {
        allowedKinds: ['Component', 'API', 'Location'],
        maxLocationDepth: 3,
      }));
      await fs.writeFile(path.join(tmp, 'secret.yaml'), fixtures.singleComponent('svc-secret'));
      await fs.writeFile(path.join(allowedRoot, 'nested-ok.yaml'), fixtures.singleComponent('svc-nested-file'));
      fixtureServer.set('/nested/to-outside.yaml', fixtures.nestedLocation('to-outside', 'file', path.join(tmp, 'secret.yaml')));
      fixtureServer.set('/nested/to-missing-outside.yaml', fixtures.nestedLocation('to-missing', 'file', '/nonexistent/x.yaml'));
      fixtureServer.set('/nested/to-glob.yaml', fixtures.nestedLocation('to-glob', 'file', `${allowedRoot}/*.yaml`));
      fixtureServer.set('/nested/to-unlisted-host.yaml', fixtures.nestedLocation('to-unlisted', 'url', 'http://127.0.0.2:9/catalog-info.yaml'));
      fixtureServer.set('/nested/to-other-type.yaml', fixtures.nestedLocation('to-github', 'github', 'https://example.com/x'));
      fixtureServer.set('/nested/level1.yaml', fixtures.nestedLocation('level1', 'url', './level2.yaml'));
      fixtureServer.set('/nested/level2.yaml', fixtures.nestedLocation('level2', 'url', './level3.yaml'));
      fixtureServer.set('/nested/level3.yaml', fixtures.nestedLocation('level3', 'url', './leaf.yaml'));
      fixtureServer.set('/nested/leaf.yaml', fixtures.singleComponent('svc-leaf'));
      fixtureServer.set('/nested/broken-child.yaml', fixtures.nestedLocation('broken-child', 'url', './child-missing-name.yaml'));
      fixtureServer.set('/nested/child-missing-name.yaml', fixtures.missingName);
      fixtureServer.set('/nested/child-group.yaml', fixtures.nestedLocation('child-group', 'url', './group.yaml'));
      fixtureServer.set('/nested/group.yaml', fixtures.group('nested-admins'));
      fixtureServer.set('/nested/to-file-ok.yaml', fixtures.nestedLocation('to-file-ok', 'file', path.join(allowedRoot, 'nested-ok.yaml')));
      fixtureServer.set('/nested/two-levels.yaml', fixtures.nestedLocation('two-levels', 'url', './level3.yaml'));
    });

    it.each([
      ['a file outside the allowed roots', '/nested/to-outside.yaml', /^Invalid target of location:default\/to-outside: Invalid target: .*secret\.yaml is outside the allowed file roots/],
      ['a missing file outside the roots (no existence oracle)', '/nested/to-missing-outside.yaml', /^Invalid target of location:default\/to-missing: Invalid target: \/nonexistent\/x\.yaml is outside the allowed file roots/],
      ['a glob', '/nested/to-glob.yaml', /^Invalid target of location:default\/to-glob: Invalid target: glob patterns are not allowed in file targets$/],
      ['a host the backend may not read', '/nested/to-unlisted-host.yaml', /^Invalid target of location:default\/to-unlisted: Unable to read http:\/\/127\.0\.0\.2:9\/catalog-info\.yaml: reading from this host is not allowed/],
      ['a location type other than url and file', '/nested/to-other-type.yaml', /^Invalid catalog-info\.yaml: location:default\/to-github has location type 'github'; only url and file are allowed$/],
      ['nesting deeper than maxLocationDepth', '/nested/level1.yaml', /^Invalid catalog-info\.yaml: location:default\/level3 nests locations deeper than catalogExtensions\.maxLocationDepth \(3\)$/],
      ['a nested document that does not validate', '/nested/broken-child.yaml', /^Invalid target of location:default\/broken-child: Invalid catalog-info\.yaml: missing required field 'metadata\.name'$/],
      ['a nested kind that is not allowed', '/nested/child-group.yaml', /^Invalid target of location:default\/child-group: Invalid catalog-info\.yaml: kind 'Group' may not be registered/],
    ])('refuses %s with 400, also in a dry run, and registers nothing', async (_name, route, message) => {
      const before = await request(nested).get('/api/catalog/locations').set('Authorization', service);
      for (const query of ['', '?dryRun=true']) {
        const res = await api(nested).post(`${API}/locations${query}`).set('Authorization', user).send({ type: 'url', target: fixtureServer.url(route) });
        expect(res.status).toBe(400);
        expect(res.body.error).toMatch(message);
      }
      const after = await request(nested).get('/api/catalog/locations').set('Authorization', service);
      expect(after.body).toEqual(before.body);
    });

    it('accepts nested targets that pass the same rules, and the catalog follows them', async () => {
      const dry = await api(nested).post(`${API}/locations?dryRun=true`).set('Authorization', user).send({ type: 'url', target: fixtureServer.url('/nested/two-levels.yaml') });
      expect(dry.status).toBe(200);
      const res = await api(nested).post(`${API}/locations`).set('Authorization', user).send({ type: 'url', target: fixtureServer.url('/nested/to-file-ok.yaml') });
      expect(res.status).toBe(201);
      await waitFor(
        async () => {
          const found = await request(nested).get(`${API}/entities?filter=metadata.name=svc-nested-file&fields=metadata.name`).set('Authorization', user);
          return found.body.length === 1 ? found.body : undefined;
        },
        60_000,
        'the nested file entity',
      );
    });
  });

  describe('GET /locations/{locationId}', () => {
    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      const missing = await api(server).get(`${API}/locations/0b5a4c1e-3f0e-4a39-9e6c-1f2f3e4d5c6b`).set('Authorization', user);
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ error: 'Location not found' });
      const malformed = await api(server).get(`${API}/locations/not-a-uuid`).set('Authorization', user);
      expect(malformed.status).toBe(400);
      expect(malformed.body.error).toMatch(/^Invalid locationId/);
    });
  });

  describe('GET /entities filter semantics', () => {
    const names = (list: any[]) => list.map(e => e.metadata.name).sort();
    const group = 'metadata.labels.fawkes.test/group=filters';

    beforeAll(async () => {
      await registerAndWait(fixtureServer.url('/filters/catalog-info.yaml'));
    });

    it('ANDs comma-separated statements', async () => {
      expect(names(await entities(`?filter=${group},spec.type=service&fields=metadata.name`))).toEqual(['f-one', 'f-three']);
      expect(names(await entities(`?filter=${group},spec.type=service,spec.lifecycle=experimental&fields=metadata.name`))).toEqual(['f-three']);
    });

    it('ORs the values of a repeated key within one filter', async () => {
      expect(names(await entities(`?filter=${group},metadata.name=f-one,metadata.name=f-two&fields=metadata.name`))).toEqual(['f-one', 'f-two']);
    });

    it('ORs repeated filter parameters', async () => {
      expect(
        names(await entities('?filter=metadata.name=f-one&filter=metadata.name=f-two,spec.type=website&filter=metadata.name=svc-a&fields=metadata.name')),
      ).toEqual(['f-one', 'f-two', 'svc-a']);
    });

    it('treats a bare key as "exists"', async () => {
      expect(names(await entities(`?filter=${group},metadata.labels.team&fields=metadata.name`))).toEqual(['f-three']);
    });

    it('matches keys and values case-insensitively', async () => {
      expect(names(await entities('?filter=KIND=COMPONENT,Metadata.Name=F-One&fields=metadata.name'))).toEqual(['f-one']);
    });

    it('projects fields and returns everything without a filter', async () => {
      const all = await entities('?fields=kind,metadata.name');
      expect(all.length).toBeGreaterThanOrEqual(6);
      for (const entity of all) {
        expect(Object.keys(entity).sort()).toEqual(['kind', 'metadata']);
        expect(Object.keys(entity.metadata)).toEqual(['name']);
      }
      expect(await entities('?filter=metadata.name=does-not-exist')).toEqual([]);
    });

    it.each([
      ['an empty key', '?filter==Component', "Invalid filter: '=Component' is not a statement of the form key=value or key", 'query.filter'],
      ['an array field path', '?fields=metadata.tags[0]', 'Invalid field "metadata.tags[0]", array type fields are not supported', 'query.fields'],
      ['an empty fields list', '?fields=,', 'Invalid fields: expected a comma-separated list of dot paths', 'query.fields'],
    ])('answers 400 for %s', async (_name, query, error, parameter) => {
      const res = await api(server).get(`${API}/entities${query}`).set('Authorization', user);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error, details: [{ path: parameter, message: error }] });
    });

    it.each([
      ['a nested filter object', '?filter[kind]=Component', { path: 'query.filter.0', message: 'must be string' }],
      ['an unknown parameter', '?limit=5', { path: '(request)', message: "Unknown query parameter 'limit'" }],
    ])('answers 400 for %s, from the document', async (_name, query, detail) => {
      const res = await api(server).get(`${API}/entities${query}`).set('Authorization', user);
      expect(res.status).toBe(400);
      const error = `Invalid request: ${detail.path === '(request)' ? detail.message : `${detail.path} ${detail.message}`}`;
      expect(res.body).toEqual({ error, details: [detail] });
    });

    it('reports every problem of filter and fields at once', async () => {
      const res = await api(server).get(`${API}/entities?filter==a&filter=b%20c=d&fields=x[0],.y`).set('Authorization', user);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error: "Invalid filter: '=a' is not a statement of the form key=value or key (and 3 more, see details)",
        details: [
          { path: 'query.filter', message: "Invalid filter: '=a' is not a statement of the form key=value or key" },
          { path: 'query.filter', message: "Invalid filter: the key 'b c' contains whitespace" },
          { path: 'query.fields', message: 'Invalid field "x[0]", array type fields are not supported' },
          { path: 'query.fields', message: 'Invalid field ".y", expected a dot path such as metadata.name' },
        ],
      });
    });
  });

  describe('authentication', () => {
    const routes: Array<[string, string]> = [
      ['post', '/locations'],
      ['post', '/locations?dryRun=true'],
      ['get', '/locations/0b5a4c1e-3f0e-4a39-9e6c-1f2f3e4d5c6b'],
      ['get', '/entities'],
    ];
    it.each(routes)('%s %s answers 401 without or with a bad token', async (method, route) => {
      for (const header of [mockCredentials.none.header(), mockCredentials.user.invalidHeader(), 'Bearer nonsense']) {
        const res = await api(server)[method as 'get' | 'post'](`${API}${route}`)
          .set('Authorization', header)
          .send({ type: 'url', target: fixtureServer.url('/valid/catalog-info.yaml') });
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ error: expect.any(String) });
      }
    });
  });

  describe('when the permission policy denies', () => {
    let denied: any;
    let deniedKnex: any;
    beforeAll(async () => {
      ({ server: denied, knex: deniedKnex } = await startBackend(databaseId, [
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
      ]));
    });

    it('answers 403 for location creation and registers nothing', async () => {
      const target = fixtureServer.url('/denied/catalog-info.yaml');
      const res = await api(denied).post(`${API}/locations`).set('Authorization', user).send({ type: 'url', target });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: 'You are not allowed to register catalog locations' });
      const dry = await api(denied).post(`${API}/locations?dryRun=true`).set('Authorization', user).send({ type: 'url', target });
      expect(dry.status).toBe(403);
      // Every catalog read is denied too, so look at the catalog's own table.
      expect(await deniedKnex('locations').where({ target }).select('id')).toEqual([]);
      expect(await deniedKnex('locations').count({ n: '*' })).toEqual([{ n: expect.anything() }]);
    });
  });
});
