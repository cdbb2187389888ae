import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { KubeApiTestServer, ResourceDefinition } from '@fawkes/kube-api-test-server';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Che's CheCluster (`org.eclipse.che/v2`), which the Che operator reads its settings from. */
export const cheClusterResource: ResourceDefinition = {
  group: 'org.eclipse.che',
  version: 'v2',
  kind: 'CheCluster',
  plural: 'checlusters',
  singular: 'checluster',
  namespaced: true,
  statusSubresource: true,
};

/** The DevWorkspace operator's config (`controller.devfile.io/v1alpha1`), which Che keeps in its namespace. */
export const devWorkspaceOperatorConfigResource: ResourceDefinition = {
  group: 'controller.devfile.io',
  version: 'v1alpha1',
  kind: 'DevWorkspaceOperatorConfig',
  plural: 'devworkspaceoperatorconfigs',
  singular: 'devworkspaceoperatorconfig',
  namespaced: true,
  shortNames: ['dwoc'],
};

export interface CheNamespaceSettings {
  /** Che's namespace, e.g. `eclipse-che` (cheLauncher.che.namespace). */
  namespace: string;
  /** Che's URL (cheLauncher.cheUrl), e.g. `https://che.127.0.0.1.nip.io`. */
  cheUrl: string;
  /** Che's limit of running workspaces per user. */
  maxRunningWorkspacesPerUser: number;
}

/** The labels che-operator puts on the ConfigMap of Che's editor definitions. */
export const EDITOR_DEFINITION_LABELS = {
  'app.kubernetes.io/component': 'editor-definition',
  'app.kubernetes.io/part-of': 'che.eclipse.org',
};

/** The bundled editor definitions (`editors/<id>.yaml` of this package), by file name. */
function editorDefinitions(): Record<string, string> {
  const dir = resolvePackagePath('@fawkes/che-launcher-fixtures', 'editors');
  const data: Record<string, string> = {};
  for (const file of readdirSync(dir).filter(f => f.endsWith('.yaml')).sort()) {
    data[file] = readFileSync(join(dir, file), 'utf8');
  }
  return data;
}

/**
 * Seeds Che's namespace as the Che operator leaves it: the namespace, the CheCluster `eclipse-che`,
 * the `devworkspace-config` DevWorkspaceOperatorConfig that DevWorkspaces name in
 * `controller.devfile.io/devworkspace-config`, and the editor definitions (ConfigMap
 * `editors-definitions`, che-code latest).
 */
export function seedCheNamespace(kube: KubeApiTestServer, settings: CheNamespaceSettings): void {
  const { namespace } = settings;
  kube.createNamespace(namespace, { 'app.kubernetes.io/part-of': 'che.eclipse.org' });
  const cheHost = new URL(settings.cheUrl).host;
  kube.createObject(
    { group: cheClusterResource.group, version: cheClusterResource.version, plural: cheClusterResource.plural, namespace },
    {
      apiVersion: 'org.eclipse.che/v2',
      kind: 'CheCluster',
      metadata: { name: 'eclipse-che', namespace },
      spec: {
        devEnvironments: {
          defaultNamespace: { template: '<username>-che', autoProvision: true },
          maxNumberOfRunningWorkspacesPerUser: settings.maxRunningWorkspacesPerUser,
          storage: { pvcStrategy: 'per-user' },
        },
        networking: { hostname: cheHost },
      },
      status: { chePhase: 'Active', cheURL: settings.cheUrl, cheVersion: '7.89.0' },
    },
  );
  kube.createObject(
    {
      group: devWorkspaceOperatorConfigResource.group,
      version: devWorkspaceOperatorConfigResource.version,
      plural: devWorkspaceOperatorConfigResource.plural,
      namespace,
    },
    {
      apiVersion: 'controller.devfile.io/v1alpha1',
      kind: 'DevWorkspaceOperatorConfig',
      metadata: { name: 'devworkspace-config', namespace },
      config: {
        workspace: {
          storageClassName: 'standard',
          defaultStorageSize: { common: '10Gi', perWorkspace: '5Gi' },
          progressTimeout: '300s',
        },
      },
    },
  );
  kube.createObject(
    { group: '', version: 'v1', plural: 'configmaps', namespace },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'editors-definitions', namespace, labels: EDITOR_DEFINITION_LABELS },
      data: editorDefinitions(),
    },
  );
}
