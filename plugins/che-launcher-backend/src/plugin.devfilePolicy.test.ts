import { KubeApiTestServer } from '@fawkes/kube-api-test-server';
import { parse, stringify } from 'yaml';
import {
  checked,
  DW,
  devfileUrl,
  goldenDevfile,
  objectsOf,
  startCheLauncher,
  startKube,
  user,
} from './__testUtils__/harness';
import { FixtureFile, UNLISTED_HOST } from './__testUtils__/devfileHost';

jest.setTimeout(30_000);

const MAX_DEVFILE_SIZE = 16 * 1024;
const READ_TIMEOUT_MS = 1000;

/** The golden devfile with `change` applied to its parsed form. */
function golden(change: (devfile: any) => void): string {
  const devfile = parse(goldenDevfile);
  change(devfile);
  return stringify(devfile);
}

const withParent = (uri: string) =>
  golden(d => {
    d.parent = { uri };
  });
const parentDevfile = (extra: Record<string, unknown> = {}) =>
  stringify({
    schemaVersion: '2.2.2',
    metadata: { name: 'python-base' },
    components: [{ name: 'tools', container: { image: 'quay.io/devfile/universal-developer-image:ubi8-0.1' } }],
    ...extra,
  });
const withComponent = (component: Record<string, unknown>) =>
  golden(d => {
    d.components.push(component);
  });
const withPodOverrides = (spec: Record<string, unknown>) =>
  golden(d => {
    d.attributes['pod-overrides'] = { spec };
  });
const withContainerOverrides = (overrides: Record<string, unknown>) =>
  golden(d => {
    d.components[0].attributes = { 'container-overrides': overrides };
  });

const files: Record<string, FixtureFile> = {
  '/parents/base.yaml': { body: parentDevfile() },
  '/parents/with-manifest.yaml': {
    body: parentDevfile({ components: [{ name: 'db', kubernetes: { uri: 'https://example.com/db.yaml' } }] }),
  },
  '/parents/huge.yaml': { body: `${parentDevfile()}\n# ${'x'.repeat(MAX_DEVFILE_SIZE)}\n` },
  '/parents/slow.yaml': { body: parentDevfile(), delayMs: READ_TIMEOUT_MS + 1500 },
  '/parents/nested.yaml': { body: parentDevfile({ parent: { uri: 'base.yaml' } }) },
  '/parent-ok.yaml': { body: withParent(devfileUrl('parents/base.yaml')) },
  '/parent-relative.yaml': { body: withParent('parents/nested.yaml') },
  '/parent-unlisted.yaml': { body: withParent(`https://${UNLISTED_HOST}/parents/base.yaml`) },
  '/parent-http.yaml': { body: withParent(devfileUrl('parents/base.yaml').replace('https:', 'http:')) },
  '/parent-manifest.yaml': { body: withParent(devfileUrl('parents/with-manifest.yaml')) },
  '/parent-huge.yaml': { body: withParent(devfileUrl('parents/huge.yaml')) },
  '/parent-slow.yaml': { body: withParent(devfileUrl('parents/slow.yaml')) },
  '/kubernetes-uri.yaml': { body: withComponent({ name: 'db', kubernetes: { uri: 'https://example.com/db.yaml' } }) },
  '/openshift-uri.yaml': { body: withComponent({ name: 'route', openshift: { uri: 'https://example.com/route.yaml' } }) },
  '/host-network.yaml': { body: withPodOverrides({ hostNetwork: true }) },
  '/host-pid.yaml': { body: withPodOverrides({ hostPID: true }) },
  '/host-path.yaml': { body: withPodOverrides({ volumes: [{ name: 'docker', hostPath: { path: '/var/run' } }] }) },
  '/pod-root.yaml': { body: withPodOverrides({ securityContext: { runAsUser: 0 } }) },
  '/pod-privileged-container.yaml': {
    body: withPodOverrides({ containers: [{ name: 'python', securityContext: { privileged: true } }] }),
  },
  '/container-privileged.yaml': { body: withContainerOverrides({ securityContext: { privileged: true } }) },
  '/container-root.yaml': { body: withContainerOverrides({ securityContext: { runAsNonRoot: false } }) },
  '/overrides-as-string.yaml': {
    body: golden(d => {
      d.attributes['pod-overrides'] = '{"spec": {"hostNetwork": true}}';
    }),
  },
  '/benign-overrides.yaml': {
    body: golden(d => {
      d.attributes['pod-overrides'] = { spec: { securityContext: { runAsUser: 1000, fsGroup: 1000 } } };
      d.components[0].attributes = { 'container-overrides': { resources: { limits: { 'nvidia.com/gpu': 1 } } } };
    }),
  },
};

async function backendWith(kube: KubeApiTestServer, devfilePolicy?: Record<string, unknown>) {
  return startCheLauncher({
    kube,
    files,
    cheLauncher: {
      limits: { maxRunningWorkspacesPerUser: -1 },
      maxDevfileSize: MAX_DEVFILE_SIZE,
      devfileReadTimeout: { milliseconds: READ_TIMEOUT_MS },
      ...(devfilePolicy ? { devfilePolicy } : {}),
    },
  });
}

describe('che-launcher: devfile content the operator would fetch or apply in the cluster', () => {
  let kube: KubeApiTestServer;
  let byDefault: Awaited<ReturnType<typeof startCheLauncher>>;
  let permissive: Awaited<ReturnType<typeof startCheLauncher>>;
  let refusingParents: Awaited<ReturnType<typeof startCheLauncher>>;

  beforeAll(async () => {
    kube = await startKube(['quinn-workspaces'], { startDelayMs: 50, stopDelayMs: 50 });
    byDefault = await backendWith(kube);
    permissive = await backendWith(kube, { allowComponentUris: true, allowPrivilegedOverrides: true });
    refusingParents = await backendWith(kube, { parentUri: 'refuse' });
  });

  afterAll(async () => {
    await Promise.all([byDefault, permissive, refusingParents].map(b => b?.stop()));
    await kube?.stop();
  });

  const create = (backend: { server: any }, file: string) =>
    checked(backend.server)
      .post('/api/che-launcher/workspaces')
      .set('Authorization', user('quinn'))
      .send({ devfileUrl: devfileUrl(file), name: file.replace(/\.yaml$/, '').replace(/[^a-z0-9-]/g, '-') });
  const stored = () => objectsOf(kube, { ...DW, namespace: 'quinn-workspaces' }).map(o => o.metadata.name);

  it.each([
    ['kubernetes-uri.yaml', 'components[3].kubernetes.uri', 'allowComponentUris'],
    ['openshift-uri.yaml', 'components[3].openshift.uri', 'allowComponentUris'],
    ['host-network.yaml', 'attributes.pod-overrides.spec.hostNetwork', 'allowPrivilegedOverrides'],
    ['host-pid.yaml', 'attributes.pod-overrides.spec.hostPID', 'allowPrivilegedOverrides'],
    ['host-path.yaml', 'attributes.pod-overrides.spec.volumes[0].hostPath', 'allowPrivilegedOverrides'],
    ['pod-root.yaml', 'attributes.pod-overrides.spec.securityContext.runAsUser', 'allowPrivilegedOverrides'],
    [
      'pod-privileged-container.yaml',
      'attributes.pod-overrides.spec.containers[0].securityContext.privileged',
      'allowPrivilegedOverrides',
    ],
    [
      'container-privileged.yaml',
      'components[0].attributes.container-overrides.securityContext.privileged',
      'allowPrivilegedOverrides',
    ],
    [
      'container-root.yaml',
      'components[0].attributes.container-overrides.securityContext.runAsNonRoot',
      'allowPrivilegedOverrides',
    ],
    ['overrides-as-string.yaml', 'attributes.pod-overrides.spec.hostNetwork', 'allowPrivilegedOverrides'],
  ])('refuses %s by default with a 400 naming %s, creating nothing', async (file, path, setting) => {
    const before = stored();
    const res = await create(byDefault, file);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(new RegExp(`^Invalid devfile: ${path.replace(/[.[\]]/g, '\\$&')} asks the operator for .* inside the cluster, which is not allowed \\(cheLauncher\\.devfilePolicy\\.${setting}\\)$`));
    expect(res.body.details).toEqual([{ path, message: expect.stringContaining(setting) }]);
    expect(stored()).toEqual(before);
  });

  it.each(['kubernetes-uri.yaml', 'host-path.yaml', 'container-privileged.yaml'])(
    'creates %s when cheLauncher.devfilePolicy allows it',
    async file => {
      const res = await create(permissive, file);
      expect(res.status).toBe(201);
    },
  );

  it('creates with overrides that ask for nothing privileged', async () => {
    expect((await create(byDefault, 'benign-overrides.yaml')).status).toBe(201);
  });

  it('resolves parent.uri through the UrlReader (absolute, relative, nested) and creates', async () => {
    expect((await create(byDefault, 'parent-ok.yaml')).status).toBe(201);
    expect((await create(byDefault, 'parent-relative.yaml')).status).toBe(201);
  });

  it.each([
    ['parent-unlisted.yaml', 400, /^Invalid devfile: parent\.uri: .*unlisted\.example\.test/],
    ['parent-http.yaml', 400, /^Invalid devfile: parent\.uri: URL must be HTTPS$/],
    ['parent-huge.yaml', 413, /^parent\.uri: .*larger than/],
    ['parent-slow.yaml', 504, /^parent\.uri: /],
  ])('refuses %s as the devfile itself would be (%i), creating nothing', async (file, status, message) => {
    const before = stored();
    const res = await create(byDefault, file);
    expect(res.status).toBe(status);
    expect(res.body.error).toMatch(message);
    expect(stored()).toEqual(before);
  });

  it("holds the parent to the same rules, naming the path through the parent", async () => {
    const res = await create(byDefault, 'parent-manifest.yaml');
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([
      { path: 'parent.uri → components[0].kubernetes.uri', message: expect.stringContaining('allowComponentUris') },
    ]);
  });

  it('refuses any parent.uri with devfilePolicy.parentUri: refuse', async () => {
    const res = await create(refusingParents, 'parent-ok.yaml');
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ path: 'parent.uri', message: expect.stringContaining('parentUri: resolve') }]);
  });
});
