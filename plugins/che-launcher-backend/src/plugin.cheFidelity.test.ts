/**
 * The DevWorkspace and editor DevWorkspaceTemplate che-launcher creates, compared field by field
 * with what the Che dashboard creates for the same devfile. The expectation is written from Che's
 * code (not from the plugin's): che-dashboard 7.89 `createWorkspaceFromDevfile` →
 * devworkspace-generator `generateContent` → `createDevWorkspace` / `createDevWorkspaceTemplate`
 * (`addEnvVarsToContainers`, managed annotations) → `startWorkspace` (`managePvcStrategy`), with
 * the generator's deep attribute merge and the `kubernetes.io/metadata.name` label of Che ≥ 7.116.
 */
import { KubeApiTestServer } from '@fawkes/kube-api-test-server';
import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { checked, DW, DWT, devfileUrl, objectsOf, startCheLauncher, startKube, user } from './__testUtils__/harness';

jest.setTimeout(30_000);

// eslint-disable-next-line no-restricted-syntax -- test fixture next to the sources
const devfileText = fs.readFileSync(path.join(__dirname, '__fixtures__/fidelity.yaml'), 'utf8');
const ephemeralDevfile = devfileText
  .replace('name: fidelity-python', 'name: fidelity-ephemeral')
  .replace('  top-only: 1', '  top-only: 1\n  controller.devfile.io/storage-type: ephemeral');
const NS = 'alice-workspaces';
const CHE = 'eclipse-che';

/** Che's editor definition as che-operator stores it (ConfigMap `editors-definitions`). */
const cheCodeDefinition = `schemaVersion: 2.2.2
metadata:
  name: che-code
  displayName: VS Code - Open Source
  attributes:
    publisher: che-incubator
    version: latest
commands:
  - id: init-container-command
    apply:
      component: che-code-injector
events:
  preStart:
    - init-container-command
components:
  - name: che-code-injector
    container:
      image: quay.io/che-incubator/che-code:7.89.0
      command:
        - /entrypoint-init-container.sh
      volumeMounts:
        - name: checode
          path: /checode
  - name: che-code-runtime-description
    container:
      image: quay.io/devfile/universal-developer-image:ubi8-latest
      env:
        - name: CHE_DASHBOARD_URL
          value: stale
      endpoints:
        - name: che-code
          attributes:
            type: main
          targetPort: 3100
          exposure: public
          secure: true
          protocol: https
    attributes:
      controller.devfile.io/container-contribution: true
  - name: checode
    volume: {}
`;

const che = {
  pluginRegistryUrl: 'https://che.example.com/plugin-registry/v3',
  pluginRegistryInternalUrl: 'http://plugin-registry.eclipse-che.svc:8080/v3',
  openVSXUrl: 'https://open-vsx.org',
};

/** Any value, as long as the field is there (server-set timestamps, uids). */
const ANY = Symbol('any');

/** Paths the plugin adds on top of Che's objects: its own marks, never Che's fields. */
const PLUGIN_MARKS = [
  'metadata.labels.app.kubernetes.io/managed-by',
  'metadata.labels.che-launcher.fawkes.io/owner-hash',
  'metadata.labels.controller.devfile.io/devworkspace-source',
  'metadata.annotations.che-launcher.fawkes.io/owner',
  'metadata.annotations.che-launcher.fawkes.io/devfile-name',
  'metadata.annotations.che-launcher.fawkes.io/devfile-version',
];
/**
 * What the API server and the operator add to any object, the dashboard's too: system metadata,
 * status, the operator's finalizer and creator label, and the CRDs' schema defaults.
 */
const SERVER_FIELDS = [
  /^(metadata\.(uid|resourceVersion|generation|creationTimestamp|finalizers|labels\.controller\.devfile\.io\/creator)|status)(\.|\[|$)/,
  /^spec\.(template\.)?components\[\d+\]\.container\.sourceMapping$/,
  /^spec\.(template\.)?components\[\d+\]\.(container|kubernetes|openshift)\.endpoints\[\d+\]\.(exposure|protocol)$/,
];

/** Path → value of every leaf (arrays by index; keys with dots kept whole after the first level). */
function leaves(value: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (value === ANY) {
    out.set(prefix, ANY);
  } else if (Array.isArray(value)) {
    if (value.length === 0) out.set(prefix, []);
    value.forEach((v, i) => leaves(v, `${prefix}[${i}]`, out));
  } else if (value && typeof value === 'object') {
    if (Object.keys(value).length === 0) out.set(prefix, {});
    for (const [k, v] of Object.entries(value)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, value);
  }
  return out;
}

/** Every field where `actual` differs from Che's `expected`, except the allowed additions. */
function fieldDifferences(expected: object, actual: object, allowedExtra: string[]): string[] {
  const want = leaves(expected);
  const got = leaves(actual);
  const differences: string[] = [];
  for (const [p, v] of want) {
    if (!got.has(p)) differences.push(`missing ${p} (Che: ${JSON.stringify(v)})`);
    else if (v !== ANY && JSON.stringify(got.get(p)) !== JSON.stringify(v)) {
      differences.push(`${p}: Che ${JSON.stringify(v)}, che-launcher ${JSON.stringify(got.get(p))}`);
    }
  }
  for (const p of got.keys()) {
    if (!want.has(p) && !SERVER_FIELDS.some(f => f.test(p)) && !allowedExtra.some(a => p === a || p.startsWith(`${a}.`))) {
      differences.push(`extra ${p}: ${JSON.stringify(got.get(p))}`);
    }
  }
  return differences;
}

/** YAML-valued annotations compared as what they say, not byte for byte. */
function withParsedAnnotations(object: any, keys: string[]) {
  const copy = structuredClone(object);
  for (const key of keys) {
    if (typeof copy.metadata.annotations?.[key] === 'string') copy.metadata.annotations[key] = parse(copy.metadata.annotations[key]);
  }
  return copy;
}

describe('che-launcher builds what the Che dashboard builds', () => {
  let kube: KubeApiTestServer;
  let server: any;
  let stopBackend: () => Promise<void>;

  beforeAll(async () => {
    kube = await startKube([NS, CHE]);
    kube.createObject(
      { group: '', version: 'v1', plural: 'configmaps', namespace: CHE },
      {
        metadata: {
          name: 'editors-definitions',
          labels: {
            'app.kubernetes.io/name': 'che',
            'app.kubernetes.io/instance': 'che',
            'app.kubernetes.io/part-of': 'che.eclipse.org',
            'app.kubernetes.io/component': 'editor-definition',
            'app.kubernetes.io/managed-by': 'che-operator',
          },
        },
        data: { 'che-code-latest.yaml': cheCodeDefinition },
      },
    );
    const backend = await startCheLauncher({
      kube,
      files: { '/fidelity.yaml': { body: devfileText }, '/fidelity-ephemeral.yaml': { body: ephemeralDevfile } },
      cheLauncher: { che, limits: { maxRunningWorkspacesPerUser: 5 } },
    });
    server = backend.server;
    stopBackend = () => backend.stop();
  });

  afterAll(async () => {
    await stopBackend?.();
    await kube?.stop();
  });

  it('creates the same DevWorkspace and editor DevWorkspaceTemplate, field by field', async () => {
    const res = await checked(server)
      .post('/api/che-launcher/workspaces')
      .set('Authorization', user('alice'))
      .send({ devfileUrl: devfileUrl('fidelity.yaml') });
    expect(res.status).toBe(201);
    const name: string = res.body.name;

    const [dw] = objectsOf(kube, { ...DW, namespace: NS });
    const [dwt] = objectsOf(kube, { ...DWT, namespace: NS });

    // generateContent: the devfile minus schemaVersion/metadata is the template; metadata.attributes
    // merged deeply over attributes (lodash merge); dw.metadata.annotations become annotations;
    // the first starter project is named. createDevWorkspace: routingClass che, the editor id
    // and timestamp. managePvcStrategy at start: Che's operator config and pvcStrategy.
    const cheDevWorkspace = {
      apiVersion: 'workspace.devfile.io/v1alpha2',
      kind: 'DevWorkspace',
      metadata: {
        name,
        namespace: NS,
        labels: { 'kubernetes.io/metadata.name': name },
        annotations: {
          'example.com/team': 'platform',
          'che.eclipse.org/devfile': parse(devfileText),
          'che.eclipse.org/devfile-source': { factory: { params: `url=${devfileUrl('fidelity.yaml')}` } },
          'che.eclipse.org/che-editor': 'che-incubator/che-code/latest',
          'che.eclipse.org/last-updated-timestamp': ANY,
        },
      },
      spec: {
        started: true,
        routingClass: 'che',
        template: {
          attributes: {
            'example.com/nested': { shared: 'metadata wins', fromTopLevel: 't', fromMetadata: 'm' },
            'top-only': 1,
            'metadata-only': true,
            'controller.devfile.io/use-starter-project': 'fastapi',
            'controller.devfile.io/devworkspace-config': { name: 'devworkspace-config', namespace: CHE },
            'controller.devfile.io/storage-type': 'per-user',
          },
          projects: [{ name: 'app', git: { remotes: { origin: 'https://github.com/example/app.git' } } }],
          starterProjects: [{ name: 'fastapi', git: { remotes: { origin: 'https://github.com/example/fastapi.git' } } }],
          components: [
            {
              name: 'python',
              container: {
                image: 'quay.io/devfile/universal-developer-image:ubi8-latest',
                endpoints: [{ name: 'app', targetPort: 8000 }],
              },
            },
          ],
          commands: [{ id: 'run', exec: { component: 'python', commandLine: 'python main.py' } }],
          events: { postStart: ['run'] },
        },
        contributions: [{ name: 'editor', kubernetes: { name: `che-code-${name}` } }],
      },
    };
    expect(
      fieldDifferences(
        cheDevWorkspace,
        withParsedAnnotations(dw, ['che.eclipse.org/devfile', 'che.eclipse.org/devfile-source']),
        PLUGIN_MARKS,
      ),
    ).toEqual([]);
    // The devfile annotation is the devfile as read, byte for byte.
    expect(dw.metadata.annotations!['che.eclipse.org/devfile']).toBe(devfileText);

    // createDevWorkspaceTemplate: the editor definition minus schemaVersion/metadata, owned by
    // the DevWorkspace, managed (plugin-registry-url = the editor id, as Che 7.89 writes it),
    // each container's stale dashboard variables replaced by the current ones, in its order.
    const dashboardEnv = [
      { name: 'CHE_DASHBOARD_URL', value: 'https://che.example.com' },
      { name: 'CHE_PLUGIN_REGISTRY_URL', value: che.pluginRegistryUrl },
      { name: 'CHE_PLUGIN_REGISTRY_INTERNAL_URL', value: che.pluginRegistryInternalUrl },
      { name: 'OPENVSX_REGISTRY_URL', value: che.openVSXUrl },
    ];
    const cheTemplate = {
      apiVersion: 'workspace.devfile.io/v1alpha2',
      kind: 'DevWorkspaceTemplate',
      metadata: {
        name: `che-code-${name}`,
        namespace: NS,
        annotations: {
          'che.eclipse.org/components-update-policy': 'managed',
          'che.eclipse.org/plugin-registry-url': 'che-incubator/che-code/latest',
        },
        ownerReferences: [{ apiVersion: 'workspace.devfile.io/v1alpha2', kind: 'DevWorkspace', name, uid: dw.metadata.uid }],
      },
      spec: {
        commands: [{ id: 'init-container-command', apply: { component: 'che-code-injector' } }],
        events: { preStart: ['init-container-command'] },
        components: [
          {
            name: 'che-code-injector',
            container: {
              image: 'quay.io/che-incubator/che-code:7.89.0',
              command: ['/entrypoint-init-container.sh'],
              volumeMounts: [{ name: 'checode', path: '/checode' }],
              env: dashboardEnv,
            },
          },
          {
            name: 'che-code-runtime-description',
            container: {
              image: 'quay.io/devfile/universal-developer-image:ubi8-latest',
              env: dashboardEnv,
              endpoints: [
                {
                  name: 'che-code',
                  attributes: { type: 'main' },
                  targetPort: 3100,
                  exposure: 'public',
                  secure: true,
                  protocol: 'https',
                },
              ],
            },
            attributes: { 'controller.devfile.io/container-contribution': true },
          },
          { name: 'checode', volume: {} },
        ],
      },
    };
    expect(fieldDifferences(cheTemplate, dwt, ['metadata.labels.app.kubernetes.io/managed-by'])).toEqual([]);
  });

  it("gives a workspace Che's upgraded editor at its next start, as the dashboard's update check does", async () => {
    // A workspace created a minute ago (the dashboard leaves younger ones alone).
    kube.setClock(() => new Date(Date.now() - 60_000));
    const res = await checked(server)
      .post('/api/che-launcher/workspaces')
      .set('Authorization', user('alice'))
      .send({ devfileUrl: devfileUrl('fidelity.yaml'), name: 'upgraded' });
    kube.setClock();
    expect(res.status).toBe(201);
    const template = () => objectsOf(kube, { ...DWT, namespace: NS }).find(t => t.metadata.name === 'che-code-upgraded');
    expect(template().spec.components[0].container.image).toBe('quay.io/che-incubator/che-code:7.89.0');

    // Che is upgraded: che-operator rewrites its editor definitions.
    const kc = new KubeConfig();
    kc.loadFromOptions(kube.kubeConfig());
    await kc.makeApiClient(CoreV1Api).patchNamespacedConfigMap(
      {
        namespace: CHE,
        name: 'editors-definitions',
        body: { data: { 'che-code-latest.yaml': cheCodeDefinition.replace('che-code:7.89.0', 'che-code:7.90.0') } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );

    const stop = await checked(server).post(`/api/che-launcher/workspaces/${res.body.workspaceId}/stop`).set('Authorization', user('alice'));
    expect(stop.status).toBe(200);
    const start = await checked(server).post(`/api/che-launcher/workspaces/${res.body.workspaceId}/start`).set('Authorization', user('alice'));
    expect(start.status).toBe(200);
    const refreshed = template();
    expect(refreshed.spec.components[0].container).toEqual({
      image: 'quay.io/che-incubator/che-code:7.90.0',
      command: ['/entrypoint-init-container.sh'],
      volumeMounts: [{ name: 'checode', path: '/checode' }],
      sourceMapping: '/projects',
      env: [
        { name: 'CHE_DASHBOARD_URL', value: 'https://che.example.com' },
        { name: 'CHE_PLUGIN_REGISTRY_URL', value: che.pluginRegistryUrl },
        { name: 'CHE_PLUGIN_REGISTRY_INTERNAL_URL', value: che.pluginRegistryInternalUrl },
        { name: 'OPENVSX_REGISTRY_URL', value: che.openVSXUrl },
      ],
    });
    expect(refreshed.metadata.annotations['che.eclipse.org/components-update-policy']).toBe('managed');
  });

  it('keeps a storage type the devfile sets, as managePvcStrategy does', async () => {
    const res = await checked(server)
      .post('/api/che-launcher/workspaces')
      .set('Authorization', user('alice'))
      .send({ devfileUrl: devfileUrl('fidelity-ephemeral.yaml') });
    expect(res.status).toBe(201);
    const dw = objectsOf(kube, { ...DW, namespace: NS }).find(o => o.metadata.name === res.body.name);
    expect(dw.spec.template.attributes['controller.devfile.io/storage-type']).toBe('ephemeral');
  });
});
