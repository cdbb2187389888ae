import { KubeConfig } from '@kubernetes/client-node';
import http from 'node:http';
import https from 'node:https';
import { AddressInfo } from 'node:net';
import { KubernetesDevWorkspaceClient } from './DevWorkspaceClient';
import { KeepAliveAgents } from './KeepAliveAgents';

describe('KeepAliveAgents', () => {
  it('shares one keep-alive agent among agents with the same TLS settings', () => {
    const agents = new KeepAliveAgents();
    const a = agents.reuse(new https.Agent({ ca: 'CA', rejectUnauthorized: true }));
    const b = agents.reuse(new https.Agent({ ca: 'CA', rejectUnauthorized: true }));
    expect(a).toBe(b);
    expect(a).toBeInstanceOf(https.Agent);
    expect(a.options.keepAlive).toBe(true);
    expect(a.options.ca).toBe('CA');
    expect(a.options.rejectUnauthorized).toBe(true);
  });

  it('keeps agents with different TLS settings or protocols apart', () => {
    const agents = new KeepAliveAgents();
    const base = agents.reuse(new https.Agent({ ca: 'CA' }));
    expect(agents.reuse(new https.Agent({ ca: 'other CA' }))).not.toBe(base);
    expect(agents.reuse(new https.Agent({ ca: 'CA', cert: 'client cert' }))).not.toBe(base);
    expect(agents.reuse(new https.Agent({ ca: 'CA', rejectUnauthorized: false }))).not.toBe(base);
    expect(agents.reuse(new http.Agent())).toBeInstanceOf(http.Agent);
    expect(agents.reuse(new http.Agent())).not.toBeInstanceOf(https.Agent);
  });

  it('leaves agents of other classes (proxies) alone', () => {
    class ProxyAgent extends https.Agent {}
    const proxy = new ProxyAgent();
    expect(new KeepAliveAgents().reuse(proxy)).toBe(proxy);
  });

  it('makes the DevWorkspace client reuse its connection to the API server', async () => {
    let connections = 0;
    const server = http.createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ apiVersion: 'workspace.devfile.io/v1alpha2', kind: 'DevWorkspaceList', items: [] }));
    });
    server.on('connection', () => connections++);
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    try {
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
        users: [{ name: 'u', token: 't' }],
        contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
        currentContext: 'x',
      });
      const client = new KubernetesDevWorkspaceClient(kc, 5000);
      for (let i = 0; i < 3; i++) {
        await expect(client.list('app.kubernetes.io/managed-by=backstage-che-launcher')).resolves.toEqual([]);
      }
      expect(connections).toBe(1);
    } finally {
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
    }
  });
});
