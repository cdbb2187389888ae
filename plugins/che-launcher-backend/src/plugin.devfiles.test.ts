import { KubeApiTestServer } from '@fawkes/kube-api-test-server';
import {
  checked,
  DW,
  devfileUrl,
  goldenDevfile,
  objectsOf,
  startCheLauncher,
  useCheLauncher,
  user,
} from './__testUtils__/harness';
import { FIXTURE_HOST, serveDevfiles, UNLISTED_HOST } from './__testUtils__/devfileHost';

jest.setTimeout(30_000);

const SLOW_DEVFILE_MS = 2500;

describe('che-launcher: devfile content and reading', () => {
  let kube: KubeApiTestServer;
  let server: any;

  useCheLauncher(
    {
      namespaces: ['ivan-workspaces'],
      controller: { startDelayMs: 50, stopDelayMs: 50 },
      backend: () => ({
        files: {
          '/goldenpath-python.yaml': { body: goldenDevfile },
          '/slow.yaml': { body: goldenDevfile, delayMs: SLOW_DEVFILE_MS },
          '/js-function.yaml': {
            body: goldenDevfile.replace('metadata:\n', 'hook: !!js/function "function () { return 1 }"\nmetadata:\n'),
          },
          '/moved.yaml': { redirect: `https://${FIXTURE_HOST}/goldenpath-python.yaml`, status: 301 },
          '/to-http.yaml': { redirect: `http://${FIXTURE_HOST}/goldenpath-python.yaml` },
          '/to-unlisted.yaml': { redirect: `https://${UNLISTED_HOST}/goldenpath-python.yaml?token=abc` },
          '/via-unlisted.yaml': { redirect: `https://${UNLISTED_HOST}/back.yaml` },
          '/back.yaml': { redirect: `https://${FIXTURE_HOST}/goldenpath-python.yaml` },
          ...Object.fromEntries(
            Array.from({ length: 6 }, (_, i) => [
              `/hop-${i}.yaml`,
              { redirect: `https://${FIXTURE_HOST}/${i === 5 ? 'goldenpath-python' : `hop-${i + 1}`}.yaml` },
            ]),
          ),
          '/local-tag.yaml': {
            body: goldenDevfile.replace('metadata:\n', 'metadata:\n  provider: !foo bar\n'),
          },
        },
        cheLauncher: { limits: { maxRunningWorkspacesPerUser: -1 } },
      }),
    },
    env => ({ kube, server } = env),
  );

  const create = (file: string, name?: string) =>
    checked(server)
      .post('/api/che-launcher/workspaces')
      .set('Authorization', user('ivan'))
      .send({ devfileUrl: devfileUrl(file), ...(name ? { name } : {}) });
  const names = () => objectsOf(kube, { ...DW, namespace: 'ivan-workspaces' }).map(o => o.metadata.name);

  it.each([
    ['js-function.yaml', "Invalid devfile: custom YAML tag '!!js/function' is not allowed"],
    ['local-tag.yaml', "Invalid devfile: custom YAML tag '!foo' is not allowed"],
  ])('refuses %s with a 400 naming the tag, creating nothing', async (file, message) => {
    const before = names();
    const res = await create(file, 'tagged');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: message });
    expect(names()).toEqual(before);
  });

  it('follows a redirect that stays https and allowed', async () => {
    const res = await create('moved.yaml', 'moved');
    expect(res.status).toBe(201);
  });

  it.each([
    [
      'an https → http downgrade',
      'to-http.yaml',
      `Redirect to http://${FIXTURE_HOST}/goldenpath-python.yaml refused: only https URLs are allowed, not 'http:'`,
    ],
    [
      'a hop to a host outside backend.reading.allow (query not echoed)',
      'to-unlisted.yaml',
      `Redirect to https://${UNLISTED_HOST}/goldenpath-python.yaml refused: reading from this host is not allowed (backend.reading.allow or an integration must allow it)`,
    ],
    [
      'a detour through a host outside the allow-list',
      'via-unlisted.yaml',
      `Redirect to https://${UNLISTED_HOST}/back.yaml refused: reading from this host is not allowed (backend.reading.allow or an integration must allow it)`,
    ],
    [
      'more than 5 redirects',
      'hop-0.yaml',
      `Unable to read https://${FIXTURE_HOST}/hop-0.yaml: more than 5 redirects (the last to https://${FIXTURE_HOST}/goldenpath-python.yaml)`,
    ],
  ])('refuses %s with a 400 naming the refused hop, creating nothing', async (_what, file, message) => {
    const before = names();
    const res = await create(file, 'redirected');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: message });
    expect(names()).toEqual(before);
  });

  it("answers 413 for a devfile whose annotations would exceed Kubernetes' 256 KiB, never the cluster's 422", async () => {
    // Within a 256 KiB maxDevfileSize, but with the other annotations over the limit.
    const pad = 262144 - 100 - Buffer.byteLength(goldenDevfile) - 4;
    await serveDevfiles({ '/huge.yaml': { body: `${goldenDevfile}\n# ${'x'.repeat(pad)}\n` } });
    const big = await startCheLauncher({
      kube,
      cheLauncher: { maxDevfileSize: 262144, limits: { maxRunningWorkspacesPerUser: -1 } },
    });
    try {
      const before = names();
      const res = await checked(big.server)
        .post('/api/che-launcher/workspaces')
        .set('Authorization', user('ivan'))
        .send({ devfileUrl: devfileUrl('huge.yaml'), name: 'huge' });
      expect(res.status).toBe(413);
      expect(res.body.error).toMatch(
        /^The devfile is too large to store in the DevWorkspace: its annotations would take \d+ bytes, Kubernetes allows 262144$/,
      );
      expect(names()).toEqual(before);
    } finally {
      await big.stop();
    }
  });

  it("does not queue a user's fast create behind the download of their slow one", async () => {
    let slowDone = false;
    const slow = create('slow.yaml', 'slow-one').then(res => {
      slowDone = true;
      return res;
    });
    // Let the slow create start its download first.
    await new Promise(resolve => setTimeout(resolve, 200));
    const fast = await create('goldenpath-python.yaml', 'fast-one');
    expect(fast.status).toBe(201);
    expect(slowDone).toBe(false);
    expect((await slow).status).toBe(201);
    expect(names()).toEqual(expect.arrayContaining(['slow-one', 'fast-one']));
  });
});
