import { ConfigReader } from '@backstage/config';
import { readCheLauncherConfig } from './config';

describe('readCheLauncherConfig', () => {
  it('applies the defaults', () => {
    const config = readCheLauncherConfig(new ConfigReader({}));
    expect(config).toMatchObject({
      kubernetes: undefined,
      requestTimeoutMs: 10_000,
      namespaceTemplate: '{user}-workspaces',
      allowedNamespaces: [],
      cheUrl: undefined,
      editor: { id: 'che-incubator/che-code/latest' },
      limits: { maxWorkspacesPerUser: -1, maxRunningWorkspacesPerUser: 1 },
      maxDevfileSize: 245760,
      devfileReadTimeoutMs: 10_000,
      ownerOnly: true,
    });
    expect(config.editor.template).toContain('name: che-code');
  });

  it("reads Che's pvcStrategy and the editor URLs (CHE_DASHBOARD_URL is cheUrl's origin)", () => {
    expect(readCheLauncherConfig(new ConfigReader({}))).toMatchObject({ storageType: 'per-user', editorUrls: {} });
    const config = readCheLauncherConfig(
      new ConfigReader({
        cheLauncher: {
          cheUrl: 'https://che.example.com/some/path/',
          che: {
            pvcStrategy: 'per-workspace',
            pluginRegistryUrl: 'https://che.example.com/plugin-registry/v3',
            pluginRegistryInternalUrl: 'http://plugin-registry.eclipse-che.svc:8080/v3',
            openVSXUrl: 'https://open-vsx.org',
          },
        },
      }),
    );
    expect(config.storageType).toBe('per-workspace');
    expect(config.editorUrls).toEqual({
      dashboardUrl: 'https://che.example.com',
      pluginRegistryUrl: 'https://che.example.com/plugin-registry/v3',
      pluginRegistryInternalUrl: 'http://plugin-registry.eclipse-che.svc:8080/v3',
      openVSXUrl: 'https://open-vsx.org',
    });
    const read = (che: object) => () => readCheLauncherConfig(new ConfigReader({ cheLauncher: { che } }));
    expect(read({ pvcStrategy: 'per-cluster' })).toThrow(/cheLauncher.che.pvcStrategy must be one of per-user, per-workspace/);
    expect(read({ openVSXUrl: 'open-vsx.org' })).toThrow('cheLauncher.che.openVSXUrl must be an http(s) URL');
  });

  it('reads every connection type and durations', () => {
    const read = (cheLauncher: object) => readCheLauncherConfig(new ConfigReader({ cheLauncher }));
    expect(read({ kubernetes: { type: 'inCluster', requestTimeout: '3s' } })).toMatchObject({
      kubernetes: { type: 'inCluster' },
      requestTimeoutMs: 3000,
    });
    expect(read({ kubernetes: { type: 'kubeconfig', path: '/k', context: 'c', requestTimeout: 1500 } })).toMatchObject({
      kubernetes: { type: 'kubeconfig', path: '/k', context: 'c' },
      requestTimeoutMs: 1500,
    });
    expect(
      read({ kubernetes: { type: 'url', url: 'https://k.test', token: 't', caData: 'Y2E=' }, cheUrl: 'https://che.test/' }),
    ).toMatchObject({
      kubernetes: { type: 'url', url: 'https://k.test', token: 't', caData: 'Y2E=' },
      cheUrl: 'https://che.test',
    });
  });

  it.each([
    [{ kubernetes: { type: 'magic' } }, /must be one of inCluster, kubeconfig, url/],
    [{ kubernetes: { type: 'url', url: 'https://k.test' } }, /token/],
    [{ namespaceTemplate: 'workspaces' }, /must contain '\{user\}'/],
    [{ limits: { maxRunningWorkspacesPerUser: -2 } }, /integer >= -1/],
    [{ maxDevfileSize: 0 }, /positive integer/],
    [{ kubernetes: { type: 'inCluster', requestTimeout: -1 } }, /positive/],
  ])('rejects %j', (cheLauncher, message) => {
    expect(() => readCheLauncherConfig(new ConfigReader({ cheLauncher }))).toThrow(message);
  });
});
