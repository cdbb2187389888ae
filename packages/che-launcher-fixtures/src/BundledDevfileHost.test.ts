import { BundledDevfileHost } from './BundledDevfileHost';

describe('BundledDevfileHost', () => {
  it('serves the bundled devfiles over https that this process trusts, host after host', async () => {
    // Each host makes its own certificate; every one of them must be trusted, not only the first
    // (tests start several backends in one process).
    for (let i = 0; i < 6; i++) {
      const host = await BundledDevfileHost.start({ port: 0 });
      try {
        const res = await fetch(host.url('goldenpath-python'));
        expect(res.status).toBe(200);
        expect(await res.text()).toContain('schemaVersion');
        expect((await fetch(host.url('no-such-devfile'))).status).toBe(404);
      } finally {
        await host.stop();
      }
    }
  }, 60_000);
});
