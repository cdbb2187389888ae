/**
 * Editor resolution against the Kubernetes API test server over HTTP (real client-node): Che's
 * editor definitions as che-operator stores them, the built-in fallback, and the refresh at start.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { KubeConfig } from '@kubernetes/client-node';
import { devWorkspaceResources, KubeApiTestServer } from '@fawkes/kube-api-test-server';
import { stringify } from 'yaml';
import { editorTemplateAnnotations, refreshedEditorTemplateSpec } from '../../model/editorTemplate';
import { DevWorkspace } from '../../model/types';
import { CheEditorDefinitions } from './CheEditorDefinitions';
import { KubernetesEditorClusterClient } from './EditorClusterClient';
import { EditorResolver } from './EditorResolver';
import { EditorTemplateRefresher } from './EditorTemplateRefresher';

const CHE = 'eclipse-che';
const CM = { group: '', version: 'v1', plural: 'configmaps', namespace: CHE };
const DWT = { group: 'workspace.devfile.io', version: 'v1alpha2', plural: 'devworkspacetemplates' };
/** The labels che-operator's EditorsDefinitionsReconciler sets (deploy.GetLabels). */
const OPERATOR_LABELS = {
  'app.kubernetes.io/name': 'che',
  'app.kubernetes.io/instance': 'che',
  'app.kubernetes.io/part-of': 'che.eclipse.org',
  'app.kubernetes.io/component': 'editor-definition',
  'app.kubernetes.io/managed-by': 'che-operator',
};

function editor(publisher: string, name: string, version: string, image: string) {
  return {
    schemaVersion: '2.2.2',
    metadata: { name, attributes: { publisher, version } },
    components: [{ name: `${name}-injector`, container: { image } }],
  };
}

const cluster = editor('che-incubator', 'che-code', 'latest', 'quay.io/che-incubator/che-code:7.89.0');
const builtIn = editor('che-incubator', 'che-code', 'latest', 'built-in:1');

describe('editor resolution', () => {
  let kube: KubeApiTestServer;
  let logger: ReturnType<typeof mockServices.logger.mock>;
  let client: KubernetesEditorClusterClient;
  let definitions: CheEditorDefinitions;
  let resolver: EditorResolver;

  beforeEach(async () => {
    kube = await KubeApiTestServer.start({ token: 't', resources: devWorkspaceResources, namespaces: [CHE, 'alice'] });
    const kc = new KubeConfig();
    kc.loadFromOptions(kube.kubeConfig());
    logger = mockServices.logger.mock();
    client = new KubernetesEditorClusterClient(kc, 500);
    definitions = new CheEditorDefinitions({ client, namespace: CHE, logger });
    resolver = new EditorResolver({ definitions, builtIn, logger });
  });

  afterEach(async () => {
    await kube.stop();
  });

  const seed = (name: string, labels: Record<string, string>, data: Record<string, string>, namespace = CHE) =>
    kube.createObject({ ...CM, namespace }, { metadata: { name, labels }, data });

  it("takes the configured editor from Che's editor-definitions ConfigMap, by publisher/name/version", async () => {
    seed('editors-definitions', OPERATOR_LABELS, {
      'che-idea-latest.yaml': stringify(editor('che-incubator', 'che-idea', 'latest', 'idea:1')),
      'che-code-insiders.yaml': stringify(editor('che-incubator', 'che-code', 'insiders', 'insiders:1')),
      'che-code-latest.yaml': stringify(cluster),
    });
    // Same id, but not labelled as an editor definition or not in Che's namespace: not Che's.
    seed('lookalike', { 'app.kubernetes.io/part-of': 'che.eclipse.org' }, { 'x.yaml': stringify(builtIn) });
    seed('elsewhere', OPERATOR_LABELS, { 'x.yaml': stringify(builtIn) }, 'alice');

    const resolved = await resolver.resolve('che-incubator/che-code/latest');
    expect(resolved).toEqual({ id: 'che-incubator/che-code/latest', devfile: cluster, source: 'che' });
    expect((await resolver.resolve('che-incubator/che-code/insiders')).devfile).toMatchObject({
      components: [{ container: { image: 'insiders:1' } }],
    });
    expect(logger.warn).not.toHaveBeenCalled();
    const list = kube.requests.find(r => r.path === `/api/v1/namespaces/${CHE}/configmaps`);
    expect(list?.query.labelSelector).toBe('app.kubernetes.io/component=editor-definition,app.kubernetes.io/part-of=che.eclipse.org');
  });

  it('falls back to the built-in definition only when Che has none, with a log line', async () => {
    seed('editors-definitions', OPERATOR_LABELS, { 'che-idea-latest.yaml': stringify(editor('che-incubator', 'che-idea', 'latest', 'i:1')) });
    const resolved = await resolver.resolve('che-incubator/che-code/latest');
    expect(resolved).toEqual({ id: 'che-incubator/che-code/latest', devfile: builtIn, source: 'built-in' });
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toContain("Che has no editor definition 'che-incubator/che-code/latest'");
    expect(logger.warn.mock.calls[0][0]).toContain("in namespace 'eclipse-che'");
  });

  it('skips an unreadable entry (logged) and still finds the others', async () => {
    seed('editors-definitions', OPERATOR_LABELS, { 'broken.yaml': 'a: [', 'che-code-latest.yaml': stringify(cluster) });
    expect((await resolver.resolve('che-incubator/che-code/latest')).source).toBe('che');
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toContain("Skipping Che editor definition 'broken.yaml' of ConfigMap eclipse-che/editors-definitions");
  });

  it('never falls back silently when it cannot look: 403 is a 503 naming the grant, a slow API a 504', async () => {
    kube.deny({ verb: 'list', plural: 'configmaps', scope: CHE });
    await expect(resolver.resolve('che-incubator/che-code/latest')).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringContaining("may not list configmaps in namespace 'eclipse-che'"),
    });
    kube.allowAll();
    kube.faults.set({ latencyMs: 2000, match: { path: /configmaps/ } });
    await expect(resolver.resolve('che-incubator/che-code/latest')).rejects.toMatchObject({ name: 'GatewayTimeoutError' });
    expect(logger.warn).not.toHaveBeenCalled();
  });

  describe('refresh at start', () => {
    const urls = { dashboardUrl: 'https://che.example.com', openVSXUrl: 'https://open-vsx.org' };
    const workspace = (createdAgoMs: number): DevWorkspace => ({
      apiVersion: 'workspace.devfile.io/v1alpha2',
      kind: 'DevWorkspace',
      metadata: { name: 'ws', namespace: 'alice', creationTimestamp: new Date(Date.now() - createdAgoMs).toISOString() },
      spec: { started: false, contributions: [{ name: 'editor', kubernetes: { name: 'che-code-ws', namespace: 'alice' } }] },
    });
    const template = (annotations: Record<string, string> | undefined, spec: object) =>
      kube.createObject({ ...DWT, namespace: 'alice' }, { metadata: { name: 'che-code-ws', ...(annotations ? { annotations } : {}) }, spec });
    const stored = () => kube.object({ ...DWT, namespace: 'alice', name: 'che-code-ws' }) as any;
    let refresher: EditorTemplateRefresher;

    beforeEach(() => {
      seed('editors-definitions', OPERATOR_LABELS, { 'che-code-latest.yaml': stringify(cluster) });
      refresher = new EditorTemplateRefresher({ client, definitions, urls, logger });
    });

    it("gives a managed template Che's current definition, as the dashboard's update check does", async () => {
      template(editorTemplateAnnotations('che-incubator/che-code/latest'), { components: [{ name: 'old', container: { image: 'old:1' } }] });
      await refresher.refresh(workspace(60_000));
      expect(stored().spec).toEqual(refreshedEditorTemplateSpec(cluster, urls));
      expect(stored().spec.components[0].container).toEqual({
        image: 'quay.io/che-incubator/che-code:7.89.0',
        sourceMapping: '/projects',
        env: [
          { name: 'CHE_DASHBOARD_URL', value: 'https://che.example.com' },
          { name: 'OPENVSX_REGISTRY_URL', value: 'https://open-vsx.org' },
        ],
      });
      const version = stored().metadata.resourceVersion;
      await refresher.refresh(workspace(60_000));
      expect(stored().metadata.resourceVersion).toBe(version);
    });

    it("reads Che main's editor-devfile URL form of the reference too", async () => {
      template(
        { ...editorTemplateAnnotations('x'), 'che.eclipse.org/plugin-registry-url': 'http://127.0.0.1:8080/dashboard/api/editors/devfile?che-editor=che-incubator/che-code/latest' },
        { components: [] },
      );
      await refresher.refresh(workspace(60_000));
      expect(stored().spec.components[0].container.image).toBe('quay.io/che-incubator/che-code:7.89.0');
    });

    it('leaves an unmanaged template alone', async () => {
      template(undefined, { components: [] });
      await refresher.refresh(workspace(60_000));
      expect(stored().spec).toEqual({ components: [] });
    });

    it('leaves a just-created workspace alone (the dashboard waits 30 s)', async () => {
      template(editorTemplateAnnotations('che-incubator/che-code/latest'), { components: [] });
      await refresher.refresh(workspace(5_000));
      expect(stored().spec).toEqual({ components: [] });
    });

    it('logs a failure and lets the start go on', async () => {
      template(editorTemplateAnnotations('che-incubator/che-code/latest'), { components: [] });
      kube.faults.set({ status: 500, match: { path: /devworkspacetemplates/ } });
      await expect(refresher.refresh(workspace(60_000))).resolves.toBeUndefined();
      expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('Could not check editor template alice/che-code-ws for updates'));
    });
  });
});
