import { editorIdOf, editorTemplateSpec, managedEditorIdOf, openVSXUrlPatch, withEditorEnv } from './editorTemplate';

describe('editor template', () => {
  it("puts the dashboard's variables into every container, replacing its stale ones, in the dashboard's order", () => {
    const components = [
      {
        name: 'ide',
        container: {
          image: 'i',
          env: [
            { name: 'KEEP', value: '1' },
            { name: 'CHE_DASHBOARD_URL', value: 'stale' },
            { name: 'CLUSTER_CONSOLE_URL', value: 'stale' },
          ],
        },
      },
      { name: 'volume', volume: {} },
    ];
    expect(
      withEditorEnv(components, {
        openVSXUrl: 'https://open-vsx.org',
        dashboardUrl: 'https://che.example.com',
        pluginRegistryInternalUrl: 'http://plugin-registry.eclipse-che.svc:8080/v3',
        pluginRegistryUrl: 'https://che.example.com/plugin-registry/v3',
      }),
    ).toEqual([
      {
        name: 'ide',
        container: {
          image: 'i',
          env: [
            { name: 'KEEP', value: '1' },
            { name: 'CHE_DASHBOARD_URL', value: 'https://che.example.com' },
            { name: 'CHE_PLUGIN_REGISTRY_URL', value: 'https://che.example.com/plugin-registry/v3' },
            { name: 'CHE_PLUGIN_REGISTRY_INTERNAL_URL', value: 'http://plugin-registry.eclipse-che.svc:8080/v3' },
            { name: 'OPENVSX_REGISTRY_URL', value: 'https://open-vsx.org' },
          ],
        },
      },
      { name: 'volume', volume: {} },
    ]);
    expect(components[0].container!.env).toHaveLength(3);
  });

  it('adds no empty env to a container when nothing is configured', () => {
    expect(withEditorEnv([{ name: 'ide', container: { image: 'i' } }], {})).toEqual([{ name: 'ide', container: { image: 'i' } }]);
  });

  it('drops schemaVersion and metadata from the editor devfile', () => {
    expect(editorTemplateSpec({ schemaVersion: '2.2.2', metadata: { name: 'e' }, commands: [] }, {})).toEqual({ commands: [] });
  });

  it("updates the workspace's own stale OPENVSX_REGISTRY_URL at start, as managePvcStrategy does", () => {
    const template = {
      components: [
        { name: 'a', container: { image: 'i', env: [{ name: 'OPENVSX_REGISTRY_URL', value: 'https://old.example' }, { name: 'X', value: '1' }] } },
        { name: 'v', volume: {} },
      ],
    };
    expect(openVSXUrlPatch(template, 'https://open-vsx.org')).toEqual([
      {
        op: 'replace',
        path: '/spec/template/components',
        value: [
          { name: 'a', container: { image: 'i', env: [{ name: 'OPENVSX_REGISTRY_URL', value: 'https://open-vsx.org' }, { name: 'X', value: '1' }] } },
          { name: 'v', volume: {} },
        ],
      },
    ]);
    expect(template.components[0].container!.env[0].value).toBe('https://old.example');
    expect(openVSXUrlPatch(template, 'https://old.example')).toEqual([]);
    expect(openVSXUrlPatch(template, undefined)).toEqual([]);
    expect(openVSXUrlPatch({ components: [{ name: 'a', container: { image: 'i' } }] }, 'https://open-vsx.org')).toEqual([]);
  });

  it('identifies editors as publisher/name/version and reads every form of the managed reference', () => {
    expect(editorIdOf({ metadata: { name: 'che-code', attributes: { publisher: 'che-incubator', version: 'latest' } } })).toBe(
      'che-incubator/che-code/latest',
    );
    expect(editorIdOf({ metadata: { name: 'che-code' } })).toBeUndefined();
    const managed = (url: string) =>
      managedEditorIdOf({ 'che.eclipse.org/components-update-policy': 'managed', 'che.eclipse.org/plugin-registry-url': url });
    expect(managed('che-incubator/che-code/latest')).toBe('che-incubator/che-code/latest');
    expect(managed('http://127.0.0.1:8080/dashboard/api/editors/devfile?che-editor=che-incubator/che-code/latest')).toBe(
      'che-incubator/che-code/latest',
    );
    expect(managed('https://che.example.com/plugin-registry/v3/plugins/che-incubator/che-code/latest/devfile.yaml')).toBe(
      'che-incubator/che-code/latest',
    );
    expect(managed('https://example.com/editor.yaml')).toBeUndefined();
    expect(
      managedEditorIdOf({ 'che.eclipse.org/components-update-policy': 'manual', 'che.eclipse.org/plugin-registry-url': 'a/b/c' }),
    ).toBeUndefined();
  });
});
