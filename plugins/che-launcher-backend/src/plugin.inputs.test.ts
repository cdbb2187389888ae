import { KubeApiTestServer } from '@fawkes/kube-api-test-server';
import { FIXTURE_HOST } from './__testUtils__/devfileHost';
import {
  checked,
  DW,
  DWT,
  devfileUrl,
  goldenDevfile,
  objectsOf,
  useCheLauncher,
  user,
} from './__testUtils__/harness';

const MAX_DEVFILE_SIZE = 64 * 1024;

const aliasBomb = [
  'schemaVersion: 2.2.2',
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
].join('\n');

const files = {
  '/goldenpath-python.yaml': { body: goldenDevfile },
  '/not-yaml.yaml': { body: 'schemaVersion: 2.2.2\ncomponents: [ {name: x\n  container: {' },
  '/binary.yaml': { body: Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x9f, 0x00]) },
  '/alias-bomb.yaml': { body: aliasBomb },
  '/oversized.yaml': {
    body: `${goldenDevfile}\n# ${'x'.repeat(MAX_DEVFILE_SIZE)}\n`,
  },
  '/schema-1.0.0.yaml': { body: goldenDevfile.replace('schemaVersion: 2.2.2', 'schemaVersion: 1.0.0') },
  '/no-schema-version.yaml': { body: goldenDevfile.replace('schemaVersion: 2.2.2\n', '') },
  '/schema-violation.yaml': {
    body: goldenDevfile
      .replace('      image: quay.io/devfile/universal-developer-image:ubi8-latest\n', '')
      .replace('          targetPort: 8000', '          targetPort: "eight thousand"'),
  },
  '/list.yaml': { body: '- just\n- a list\n' },
  '/server-error.yaml': { status: 500 as const },
  '/scc.yaml': {
    body: goldenDevfile.replace(
      'attributes:\n  controller.devfile.io/storage-type: per-user',
      'attributes:\n  controller.devfile.io/scc: privileged',
    ),
  },
};

describe('che-launcher: bad input leaves nothing behind', () => {
  let kube: KubeApiTestServer;
  let server: any;

  useCheLauncher(
    {
      namespaces: ['dave-workspaces', 'alice-workspaces', 'kube-system'],
      backend: () => ({
        files,
        cheLauncher: { maxDevfileSize: MAX_DEVFILE_SIZE },
      }),
    },
    env => ({ kube, server } = env),
  );

  /** Nothing half-made anywhere in the cluster (besides the path-trick test's own fixture). */
  function expectNothingInCluster() {
    expect(objectsOf(kube, DW).filter(o => o.metadata.name !== 'system-ws')).toEqual([]);
    expect(objectsOf(kube, DWT)).toEqual([]);
  }

  const create = (body: unknown) =>
    checked(server)
      .post('/api/che-launcher/workspaces')
      .set('Authorization', user('dave'))
      .send(body as object);

  it.each([
    ['no body', undefined, 400, /devfileUrl is required/],
    ['missing devfileUrl', {}, 400, /devfileUrl is required/],
    ['empty devfileUrl', { devfileUrl: '' }, 400, /devfileUrl is required/],
    ['blank devfileUrl', { devfileUrl: '   ' }, 400, /devfileUrl is required/],
    ['non-string devfileUrl', { devfileUrl: 42 }, 400, /devfileUrl must be a string/],
    ['unknown fields', { devfileUrl: devfileUrl('goldenpath-python.yaml'), owner: 'x' }, 400, /owner/],
    ['not a URL', { devfileUrl: 'goldenpath-python.yaml' }, 400, /^Invalid devfileUrl: not a valid URL$/],
    ['http', { devfileUrl: `http://${FIXTURE_HOST}/goldenpath-python.yaml` }, 400, /^Invalid devfileUrl: URL must be HTTPS$/],
    ['ftp', { devfileUrl: `ftp://${FIXTURE_HOST}/goldenpath-python.yaml` }, 400, /^Invalid devfileUrl: URL must be HTTPS$/],
    // eslint-disable-next-line no-script-url -- the point of the test
    ['javascript', { devfileUrl: 'javascript:alert(1)' }, 400, /^Invalid devfileUrl: URL must be HTTPS$/],
    ['file', { devfileUrl: 'file:///etc/passwd' }, 400, /^Invalid devfileUrl: URL must be HTTPS$/],
    ['credentials', { devfileUrl: `https://user:secret@${FIXTURE_HOST}/goldenpath-python.yaml` }, 400, /must not contain credentials/],
    ['username only', { devfileUrl: `https://token@${FIXTURE_HOST}/goldenpath-python.yaml` }, 400, /must not contain credentials/],
    ['loopback', { devfileUrl: 'https://127.0.0.1/devfile.yaml' }, 400, /^Unable to read https:\/\/127\.0\.0\.1\/devfile\.yaml: reading from this host is not allowed/],
    ['localhost', { devfileUrl: 'https://localhost:7007/api/catalog/entities' }, 400, /^Unable to read https:\/\/localhost:7007\/api\/catalog\/entities: reading from this host is not allowed/],
    ['IPv6 loopback', { devfileUrl: 'https://[::1]/devfile.yaml' }, 400, /is not allowed/],
    ['link-local metadata', { devfileUrl: 'https://169.254.169.254/latest/meta-data' }, 400, /^Unable to read https:\/\/169\.254\.169\.254\/latest\/meta-data: reading from this host is not allowed/],
    ['private 10/8', { devfileUrl: 'https://10.0.0.12/devfile.yaml' }, 400, /is not allowed/],
    ['private 192.168/16', { devfileUrl: 'https://192.168.1.10/devfile.yaml' }, 400, /is not allowed/],
    ['unlisted host', { devfileUrl: 'https://evil.example.com/devfile.yaml' }, 400, /^Unable to read https:\/\/evil\.example\.com\/devfile\.yaml: reading from this host is not allowed/],
    ['404 devfile', { devfileUrl: devfileUrl('missing.yaml') }, 400, /^Unable to read https:\/\/devfiles\.example\.test\/missing\.yaml: not found \(404\)$/],
    ['devfile host failing', { devfileUrl: devfileUrl('server-error.yaml') }, 502, /^Unable to read https:\/\/devfiles\.example\.test\/server-error\.yaml: devfiles\.example\.test answered 500$/],
    ['non-YAML', { devfileUrl: devfileUrl('not-yaml.yaml') }, 400, /not valid YAML/],
    ['non-UTF-8', { devfileUrl: devfileUrl('binary.yaml') }, 400, /not UTF-8/],
    ['YAML alias bomb', { devfileUrl: devfileUrl('alias-bomb.yaml') }, 400, /not valid YAML/],
    ['a YAML list', { devfileUrl: devfileUrl('list.yaml') }, 400, /must be a YAML mapping/],
    ['oversized devfile', { devfileUrl: devfileUrl('oversized.yaml') }, 413, /^The devfile is larger than the limit of 65536 bytes$/],
    ['wrong schemaVersion', { devfileUrl: devfileUrl('schema-1.0.0.yaml') }, 400, /unsupported schemaVersion '1\.0\.0'; supported versions are .*2\.2\.2/],
    ['missing schemaVersion', { devfileUrl: devfileUrl('no-schema-version.yaml') }, 400, /schemaVersion is required/],
    ['restricted attributes', { devfileUrl: devfileUrl('scc.yaml') }, 400, /attribute\(s\) 'controller\.devfile\.io\/scc' may not be set/],
    ['invalid name', { devfileUrl: devfileUrl('goldenpath-python.yaml'), name: 'My_Workspace' }, 400, /^Invalid name: /],
    ['64-character name', { devfileUrl: devfileUrl('goldenpath-python.yaml'), name: 'a'.repeat(64) }, 400, /^Invalid name: must be at most 63 characters$/],
    ['name with a slash', { devfileUrl: devfileUrl('goldenpath-python.yaml'), name: '../alice' }, 400, /^Invalid name: /],
    ['invalid namespace', { devfileUrl: devfileUrl('goldenpath-python.yaml'), namespace: 'Bad_NS' }, 400, /^Invalid namespace: /],
    ['kube-system', { devfileUrl: devfileUrl('goldenpath-python.yaml'), namespace: 'kube-system' }, 403, /system namespace 'kube-system'/],
    ['default namespace', { devfileUrl: devfileUrl('goldenpath-python.yaml'), namespace: 'default' }, 403, /system namespace 'default'/],
    ["another user's namespace", { devfileUrl: devfileUrl('goldenpath-python.yaml'), namespace: 'alice-workspaces' }, 403, /may not create workspaces in namespace 'alice-workspaces'/],
  ])('%s', async (_what, body, status, message) => {
    const res = await create(body);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(expect.objectContaining({ error: expect.stringMatching(message) }));
    expectNothingInCluster();
  });

  it('explains a missing user namespace', async () => {
    const res = await checked(server)
      .post('/api/che-launcher/workspaces')
      .set('Authorization', user('frank'))
      .send({ devfileUrl: devfileUrl('goldenpath-python.yaml') });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error:
        "Namespace 'frank-workspaces' does not exist or has no DevWorkspace support; ask a cluster administrator",
    });
    expectNothingInCluster();
  });

  it('explains schema violations with paths and rules', async () => {
    const res = await create({ devfileUrl: devfileUrl('schema-violation.yaml') });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('Invalid devfile: it does not match the Devfile 2.2.2 schema');
    expect(res.body.details).toEqual(
      expect.arrayContaining([
        { path: 'components[0].container', message: "missing required property 'image'", rule: 'required' },
        { path: 'components[0].container.endpoints[0].targetPort', message: 'must be integer', rule: 'type' },
      ]),
    );
    expectNothingInCluster();
  });

  it("answers the document's 404 for invalid ids and path tricks in workspaceId, never another object", async () => {
    // A real workspace of another user, and a DevWorkspace in kube-system.
    kube.createObject(
      { ...DW, namespace: 'kube-system' },
      { apiVersion: 'workspace.devfile.io/v1alpha2', kind: 'DevWorkspace', metadata: { name: 'system-ws' }, spec: { started: false } } as any,
    );
    const tricks: Array<[string, number]> = [
      ['..%2F..%2Fkube-system.system-ws', 404],
      ['dave-workspaces.ws%2F..%2F..%2Fkube-system', 404],
      ['dave-workspaces.%2E%2E', 404],
      ['%2E%2E', 404],
      ['dave-workspaces.ws%00', 404],
      ['dave-workspaces', 404],
      ['DAVE-workspaces.ws', 404],
      ['kube-system.system-ws', 404],
      ['dave-workspaces.does-not-exist', 404],
    ];
    for (const [id, status] of tricks) {
      for (const [method, path] of [
        ['get', `/api/che-launcher/workspaces/${id}`],
        ['delete', `/api/che-launcher/workspaces/${id}`],
        ['post', `/api/che-launcher/workspaces/${id}/start`],
        ['post', `/api/che-launcher/workspaces/${id}/stop`],
      ] as const) {
        const res = await checked(server)[method](path).set('Authorization', user('dave'));
        expect({ id, method, path, status: res.status }).toEqual({ id, method, path, status });
        expect(res.body).toEqual({ error: 'Workspace not found' });
      }
    }
    // The kube-system object is untouched.
    expect(objectsOf(kube, { ...DW, namespace: 'kube-system' })).toHaveLength(1);
    expect(kube.requests.some(r => r.method !== 'GET' && r.path.includes('kube-system'))).toBe(false);
  });
});
