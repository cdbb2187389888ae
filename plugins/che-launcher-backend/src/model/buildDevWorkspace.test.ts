import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { parseDevfile } from '../services/devfile/parseDevfile';
import {
  buildDevWorkspace,
  buildEditorTemplate,
  restrictedAttributesIn,
  startPatch,
  stopPatch,
} from './buildDevWorkspace';
import { defaultEditorTemplate } from './defaultEditor';
import { ownerLabelValue } from './names';

const devfileText = fs.readFileSync(
  path.join(__dirname, '../__fixtures__/goldenpath-python.yaml'),
  'utf8',
);
const now = new Date('2026-11-27T12:00:00.000Z');

function build() {
  return buildDevWorkspace({
    devfile: parseDevfile(devfileText),
    devfileText,
    devfileUrl: 'https://devfiles.example.test/goldenpath-python.yaml',
    namespace: 'alice-workspaces',
    name: 'goldenpath-python-ab12c',
    owner: 'user:default/alice',
    editor: { id: 'che-incubator/che-code/latest', devfile: parseDevfile(defaultEditorTemplate) },
    now,
  });
}

describe('buildDevWorkspace', () => {
  it('follows the Che dashboard conventions', () => {
    const devWorkspace = build();
    expect(devWorkspace.apiVersion).toBe('workspace.devfile.io/v1alpha2');
    expect(devWorkspace.kind).toBe('DevWorkspace');
    expect(devWorkspace.metadata.name).toBe('goldenpath-python-ab12c');
    expect(devWorkspace.metadata.namespace).toBe('alice-workspaces');
    expect(devWorkspace.spec.started).toBe(false);
    expect(devWorkspace.spec.routingClass).toBe('che');
    expect(devWorkspace.spec.contributions).toEqual([
      // As the generator writes it: no namespace (DWO looks in the workspace's own).
      { name: 'editor', kubernetes: { name: 'che-code-goldenpath-python-ab12c' } },
    ]);

    const annotations = devWorkspace.metadata.annotations!;
    expect(annotations['che.eclipse.org/devfile']).toBe(devfileText);
    expect(parse(annotations['che.eclipse.org/devfile-source'])).toEqual({
      factory: { params: 'url=https://devfiles.example.test/goldenpath-python.yaml' },
    });
    expect(annotations['che.eclipse.org/che-editor']).toBe('che-incubator/che-code/latest');
    expect(annotations['che.eclipse.org/last-updated-timestamp']).toBe('2026-11-27T12:00:00.000Z');
    expect(annotations['che-launcher.fawkes.io/owner']).toBe('user:default/alice');
    expect(annotations['che-launcher.fawkes.io/devfile-name']).toBe('goldenpath-python');
    expect(annotations['che-launcher.fawkes.io/devfile-version']).toBe('1.0.0');
    // The devfile's dw.metadata.annotations move to the DevWorkspace, as the generator does.
    expect(annotations['example.com/team']).toBe('platform');

    expect(devWorkspace.metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'backstage-che-launcher',
      'controller.devfile.io/devworkspace-source': 'backstage',
      'che-launcher.fawkes.io/owner-hash': ownerLabelValue('user:default/alice'),
      // Removed by the create's start patch; left only on a half-made workspace.
      'che-launcher.fawkes.io/creating': 'true',
      // The dashboard's display name (Che >= 7.116 sets it to the resource name).
      'kubernetes.io/metadata.name': 'goldenpath-python-ab12c',
    });
  });

  it("merges metadata.attributes deeply over attributes, as Che's generator does (lodash merge)", () => {
    const devWorkspace = buildDevWorkspace({
      devfile: {
        schemaVersion: '2.2.2',
        metadata: { name: 'm', attributes: { nested: { a: 'metadata', c: { deep: 'm' } }, list: [{ x: 1 }], only: 'meta' } },
        attributes: { nested: { a: 'top', b: 'top', c: { keep: 't' } }, list: [{ y: 2 }, 'second'], top: 1 },
      },
      devfileText: '',
      devfileUrl: 'https://x.test/d.yaml',
      namespace: 'ns',
      name: 'ws',
      owner: 'user:default/alice',
      editor: { id: 'e/e/e', devfile: parseDevfile(defaultEditorTemplate) },
      now,
    });
    expect(devWorkspace.spec.template!.attributes).toEqual({
      nested: { a: 'metadata', b: 'top', c: { keep: 't', deep: 'm' } },
      list: [{ y: 2, x: 1 }, 'second'],
      top: 1,
      only: 'meta',
    });
  });

  it("sets Che's pvcStrategy as the storage type only when the devfile names none", () => {
    const withStorage = (attributes: object | undefined) =>
      buildDevWorkspace({
        devfile: { schemaVersion: '2.2.2', metadata: { name: 'm' }, ...(attributes ? { attributes } : {}) },
        devfileText: '',
        devfileUrl: 'https://x.test/d.yaml',
        namespace: 'ns',
        name: 'ws',
        owner: 'user:default/alice',
        editor: { id: 'e/e/e', devfile: parseDevfile(defaultEditorTemplate) },
        now,
        storageType: 'per-workspace',
      }).spec.template!.attributes;
    expect(withStorage(undefined)).toEqual({ 'controller.devfile.io/storage-type': 'per-workspace' });
    expect(withStorage({ 'controller.devfile.io/storage-type': 'ephemeral' })).toEqual({
      'controller.devfile.io/storage-type': 'ephemeral',
    });
  });

  it('turns the devfile body into the template', () => {
    const template = build().spec.template!;
    expect(template).not.toHaveProperty('schemaVersion');
    expect(template).not.toHaveProperty('metadata');
    expect((template.components as any[]).map(c => c.name)).toEqual(['python', 'pip-cache', 'venv']);
    expect((template.commands as any[]).map(c => c.id)).toEqual(['install-dependencies', 'run', 'test']);
    expect(template.events).toEqual({ postStart: ['install-dependencies'] });
    expect((template.starterProjects as any[]).length).toBe(3);
    expect(template.attributes).toEqual({
      'controller.devfile.io/storage-type': 'per-user',
      'controller.devfile.io/use-starter-project': 'python-fastapi',
    });
  });

  it('leaves the owner marker to the plugin even if the devfile tries to set it', () => {
    const devfile = parseDevfile(devfileText);
    (devfile.attributes as any)['dw.metadata.annotations']['che-launcher.fawkes.io/owner'] =
      'user:default/mallory';
    const devWorkspace = buildDevWorkspace({
      devfile,
      devfileText,
      devfileUrl: 'https://x.test/d.yaml',
      namespace: 'alice-workspaces',
      name: 'ws',
      owner: 'user:default/alice',
      editor: { id: 'e/e/e', devfile: parseDevfile(defaultEditorTemplate) },
      now,
    });
    expect(devWorkspace.metadata.annotations!['che-launcher.fawkes.io/owner']).toBe('user:default/alice');
  });
});

describe('buildEditorTemplate', () => {
  it('is owned by the DevWorkspace', () => {
    const template = buildEditorTemplate(
      { metadata: { name: 'ws', namespace: 'alice-workspaces', uid: 'uid-1' } },
      parseDevfile(defaultEditorTemplate),
    );
    expect(template.kind).toBe('DevWorkspaceTemplate');
    expect(template.metadata.name).toBe('che-code-ws');
    expect(template.metadata.ownerReferences).toEqual([
      { apiVersion: 'workspace.devfile.io/v1alpha2', kind: 'DevWorkspace', name: 'ws', uid: 'uid-1' },
    ]);
    expect(template.spec).not.toHaveProperty('schemaVersion');
    expect((template.spec.components as any[]).some(c => c.name === 'che-code-runtime-description')).toBe(true);
  });

  it('is managed by Che and carries the Che URLs in every container', () => {
    const template = buildEditorTemplate(
      { metadata: { name: 'ws', namespace: 'alice-workspaces', uid: 'uid-1' } },
      parseDevfile(defaultEditorTemplate),
      { editorId: 'che-incubator/che-code/latest', urls: { dashboardUrl: 'https://che.example.com', openVSXUrl: 'https://open-vsx.org' } },
    );
    expect((template.metadata as any).annotations).toEqual({
      'che.eclipse.org/components-update-policy': 'managed',
      'che.eclipse.org/plugin-registry-url': 'che-incubator/che-code/latest',
    });
    const containers = (template.spec.components as any[]).filter(c => c.container);
    expect(containers.map(c => c.container.env)).toEqual([
      [
        { name: 'CHE_DASHBOARD_URL', value: 'https://che.example.com' },
        { name: 'OPENVSX_REGISTRY_URL', value: 'https://open-vsx.org' },
      ],
      [
        { name: 'CHE_DASHBOARD_URL', value: 'https://che.example.com' },
        { name: 'OPENVSX_REGISTRY_URL', value: 'https://open-vsx.org' },
      ],
    ]);
  });

  it('has no floating image tag in the built-in editor', () => {
    const images = (parseDevfile(defaultEditorTemplate).components as any[]).flatMap(c => (c.container ? [c.container.image] : []));
    expect(images).toHaveLength(2);
    for (const image of images) expect(image).toMatch(/@sha256:[0-9a-f]{64}$/);
  });
});

describe('patches', () => {
  it('starts like the dashboard', () => {
    expect(startPatch(build(), now)).toEqual([
      {
        op: 'replace',
        path: '/metadata/annotations/che.eclipse.org~1last-updated-timestamp',
        value: '2026-11-27T12:00:00.000Z',
      },
      { op: 'replace', path: '/spec/started', value: true },
    ]);
    const bare = build();
    delete bare.metadata.annotations;
    expect(startPatch(bare, now).slice(0, 2)).toEqual([
      { op: 'add', path: '/metadata/annotations', value: {} },
      {
        op: 'add',
        path: '/metadata/annotations/che.eclipse.org~1last-updated-timestamp',
        value: '2026-11-27T12:00:00.000Z',
      },
    ]);
  });

  it("adds Che's config and pvcStrategy at start when the workspace lacks them, as managePvcStrategy does", () => {
    const bare = build();
    bare.spec.template = {};
    expect(startPatch(bare, now, 'eclipse-che', 'per-user').slice(1, -1)).toEqual([
      { op: 'add', path: '/spec/template/attributes', value: {} },
      {
        op: 'add',
        path: '/spec/template/attributes/controller.devfile.io~1devworkspace-config',
        value: { name: 'devworkspace-config', namespace: 'eclipse-che' },
      },
      { op: 'add', path: '/spec/template/attributes/controller.devfile.io~1storage-type', value: 'per-user' },
    ]);
    // The golden path devfile names its storage type: kept.
    expect(JSON.stringify(startPatch(build(), now, undefined, 'per-workspace'))).not.toContain('storage-type');
  });

  it('stops with spec.started only', () => {
    expect(stopPatch()).toEqual([{ op: 'replace', path: '/spec/started', value: false }]);
  });
});

describe('restrictedAttributesIn', () => {
  it('finds attributes DWO would check against the service account', () => {
    expect(restrictedAttributesIn(parseDevfile(devfileText))).toEqual([]);
    expect(
      restrictedAttributesIn({
        schemaVersion: '2.2.2',
        metadata: { attributes: { 'controller.devfile.io/devworkspace-config': { name: 'x' } } },
        attributes: { 'controller.devfile.io/scc': 'privileged' },
      }),
    ).toEqual(['controller.devfile.io/scc', 'controller.devfile.io/devworkspace-config']);
  });
});
