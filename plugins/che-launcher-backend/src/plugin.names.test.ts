import { KubeApiTestServer } from '@fawkes/kube-api-test-server';
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

jest.setTimeout(30_000);

const withName = (metadata: string) => goldenDevfile.replace('  name: goldenpath-python\n', metadata);

const files = {
  '/goldenpath-python.yaml': { body: goldenDevfile },
  '/other.yaml': { body: withName('  name: other-service\n') },
  '/messy-name.yaml': { body: withName("  name: '--My_Python App!'\n") },
  '/dotted-name.yaml': { body: withName('  name: team.python\n') },
  '/generate-name.yaml': { body: withName('  generateName: py-\n') },
  '/long-name.yaml': { body: withName(`  name: ${'a'.repeat(70)}\n`) },
};

async function backendWith(kube: KubeApiTestServer, cheLauncher: Record<string, unknown>) {
  return startCheLauncher({
    kube,
    files,
    cheLauncher: {
      limits: { maxRunningWorkspacesPerUser: -1 },
      devfiles: [{ name: 'python', url: devfileUrl('goldenpath-python.yaml') }],
      ...cheLauncher,
    },
  });
}

describe('che-launcher: workspace names as the Che dashboard gives them', () => {
  let kube: KubeApiTestServer;
  let backend: Awaited<ReturnType<typeof startCheLauncher>>;

  beforeAll(async () => {
    kube = await startKube(['nina-workspaces'], { startDelayMs: 50, stopDelayMs: 50 });
    backend = await backendWith(kube, {});
  });

  afterAll(async () => {
    await backend?.stop();
    await kube?.stop();
  });

  const create = (body: Record<string, unknown>) =>
    checked(backend.server).post('/api/che-launcher/workspaces').set('Authorization', user('nina')).send(body);
  const stored = () => objectsOf(kube, { ...DW, namespace: 'nina-workspaces' }).map(o => o.metadata.name).sort();

  it("uses the devfile's metadata.name as it is, and a short suffix only when it is taken (perclick)", async () => {
    const first = await create({ devfileUrl: devfileUrl('goldenpath-python.yaml') });
    expect(first.status).toBe(201);
    expect(first.body.name).toBe('goldenpath-python');

    const second = await create({ devfileUrl: devfileUrl('goldenpath-python.yaml') });
    expect(second.status).toBe(201);
    expect(second.body.name).toMatch(/^goldenpath-python-[a-z0-9]{4}$/);
    expect(stored()).toEqual([first.body.name, second.body.name].sort());
  });

  it.each([
    ['messy-name.yaml', 'my-python-app'],
    ['dotted-name.yaml', 'team.python'],
    ['long-name.yaml', 'a'.repeat(63)],
  ])('sanitizes the name of %s like the dashboard (%s)', async (file, name) => {
    const res = await create({ devfileUrl: devfileUrl(file) });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe(name);
    expect(stored()).toContain(name);
  });

  it('honours metadata.generateName: the prefix plus a suffix, every time', async () => {
    const a = await create({ devfileUrl: devfileUrl('generate-name.yaml') });
    const b = await create({ devfileUrl: devfileUrl('generate-name.yaml') });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.name).toMatch(/^py-[a-z0-9]{4}$/);
    expect(b.body.name).toMatch(/^py-[a-z0-9]{4}$/);
    expect(a.body.name).not.toBe(b.body.name);
  });

  it('still answers 409 for a taken name the caller gave', async () => {
    const res = await create({ devfileUrl: devfileUrl('goldenpath-python.yaml'), name: 'goldenpath-python' });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: "Workspace with name 'goldenpath-python' already exists" });
  });
});

describe('che-launcher: createPolicy peruser', () => {
  let kube: KubeApiTestServer;
  let backend: Awaited<ReturnType<typeof startCheLauncher>>;

  beforeAll(async () => {
    kube = await startKube(['olga-workspaces', 'pete-workspaces'], { startDelayMs: 50, stopDelayMs: 50 });
    backend = await backendWith(kube, { createPolicy: 'peruser' });
  });

  afterAll(async () => {
    await backend?.stop();
    await kube?.stop();
  });

  const create = (who: string, body: Record<string, unknown>) =>
    checked(backend.server).post('/api/che-launcher/workspaces').set('Authorization', user(who)).send(body);
  const stored = (ns: string) => objectsOf(kube, { ...DW, namespace: ns }).map(o => o.metadata.name).sort();

  it("answers 200 with the user's existing workspace from the same devfile URL, creating nothing", async () => {
    const first = await create('olga', { devfileUrl: devfileUrl('goldenpath-python.yaml') });
    expect(first.status).toBe(201);

    const again = await create('olga', { devfileUrl: devfileUrl('goldenpath-python.yaml') });
    expect(again.status).toBe(200);
    expect(again.body.workspaceId).toBe(first.body.workspaceId);
    expect(again.body.name).toBe('goldenpath-python');

    // A template naming the same devfile URL resolves to the same workspace.
    const viaTemplate = await create('olga', { template: 'python' });
    expect(viaTemplate.status).toBe(200);
    expect(viaTemplate.body.workspaceId).toBe(first.body.workspaceId);
    expect(stored('olga-workspaces')).toEqual(['goldenpath-python']);
  });

  it('creates for another devfile URL, for an explicit name, and for another user', async () => {
    const other = await create('olga', { devfileUrl: devfileUrl('other.yaml') });
    expect(other.status).toBe(201);
    expect(other.body.name).toBe('other-service');

    const named = await create('olga', { devfileUrl: devfileUrl('goldenpath-python.yaml'), name: 'second-python' });
    expect(named.status).toBe(201);

    const pete = await create('pete', { devfileUrl: devfileUrl('goldenpath-python.yaml') });
    expect(pete.status).toBe(201);
    expect(pete.body.workspaceId).toBe('pete-workspaces.goldenpath-python');
    expect(stored('olga-workspaces')).toEqual(['goldenpath-python', 'other-service', 'second-python']);
  });

  it('creates again once the existing workspace is deleted', async () => {
    const del = await checked(backend.server)
      .delete('/api/che-launcher/workspaces/pete-workspaces.goldenpath-python')
      .set('Authorization', user('pete'));
    expect(del.status).toBe(204);
    const res = await create('pete', { devfileUrl: devfileUrl('goldenpath-python.yaml') });
    expect(res.status).toBe(201);
  });
});
