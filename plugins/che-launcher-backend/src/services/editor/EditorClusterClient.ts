import { ServiceUnavailableError } from '@backstage/errors';
import { CoreV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, V1ConfigMap } from '@kubernetes/client-node';
import { CheLauncherConfig } from '../../config';
import { DEVWORKSPACE_GROUP, DEVWORKSPACE_TEMPLATE_PLURAL, DEVWORKSPACE_VERSION } from '../../model/constants';
import { BoundedKubernetesCalls } from '../kubernetes/BoundedKubernetesCalls';
import { createKubeConfig } from '../kubernetes/createKubeConfig';
import { kubernetesCodeOf } from '../kubernetes/errors';

/** A stored editor DevWorkspaceTemplate, as far as the refresh at start reads it. */
export interface StoredEditorTemplate {
  metadata: { name: string; namespace: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

/** What editor resolution reads and writes on the cluster. */
export interface EditorClusterClient {
  /** ConfigMaps in `namespace` matching `labelSelector` (Che's editor definitions). */
  listConfigMaps(namespace: string, labelSelector: string): Promise<V1ConfigMap[]>;
  /** undefined when there is no such template. */
  getTemplate(namespace: string, name: string): Promise<StoredEditorTemplate | undefined>;
  /** RFC 6902 JSON Patch of a DevWorkspaceTemplate. */
  patchTemplate(namespace: string, name: string, jsonPatch: object[]): Promise<void>;
}

const configMaps = { plural: 'configmaps', group: '', version: 'v1' };
const dwt = { group: DEVWORKSPACE_GROUP, version: DEVWORKSPACE_VERSION, plural: DEVWORKSPACE_TEMPLATE_PLURAL };

/** Bounded by the request timeout (504), errors translated like every other cluster call. */
export class KubernetesEditorClusterClient implements EditorClusterClient {
  private readonly core: CoreV1Api;
  private readonly custom: CustomObjectsApi;
  private readonly calls: BoundedKubernetesCalls;

  constructor(kubeConfig: KubeConfig, timeoutMs: number) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.custom = kubeConfig.makeApiClient(CustomObjectsApi);
    this.calls = new BoundedKubernetesCalls(kubeConfig, timeoutMs);
  }

  async listConfigMaps(namespace: string, labelSelector: string): Promise<V1ConfigMap[]> {
    const result = await this.calls.call({ verb: 'list', ...configMaps, namespace }, options =>
      this.core.listNamespacedConfigMap({ namespace, labelSelector }, options),
    );
    return result.items ?? [];
  }

  async getTemplate(namespace: string, name: string): Promise<StoredEditorTemplate | undefined> {
    try {
      return await this.calls.call({ verb: 'get', ...dwt, namespace, name }, options =>
        this.custom.getNamespacedCustomObject({ ...dwt, namespace, name }, options),
      );
    } catch (error) {
      if (kubernetesCodeOf(error) === 404 && (error as Error).name === 'NotFoundError') return undefined;
      throw error;
    }
  }

  async patchTemplate(namespace: string, name: string, jsonPatch: object[]): Promise<void> {
    await this.calls.call(
      { verb: 'patch', ...dwt, namespace, name },
      options => this.custom.patchNamespacedCustomObject({ ...dwt, namespace, name, body: jsonPatch }, options),
      PatchStrategy.JsonPatch,
    );
  }
}

/** Stands in when no cluster is configured (or its configuration is unusable): every call 503. */
export class UnconfiguredEditorClusterClient implements EditorClusterClient {
  constructor(private readonly reason: string) {}

  private fail(): never {
    throw new ServiceUnavailableError(this.reason);
  }

  listConfigMaps = async (): Promise<V1ConfigMap[]> => this.fail();
  getTemplate = async (): Promise<StoredEditorTemplate | undefined> => this.fail();
  patchTemplate = async (): Promise<void> => this.fail();
}

/** The client for the configured connection (503s when there is none or it is unusable). */
export function createEditorClusterClient(config: CheLauncherConfig): EditorClusterClient {
  if (!config.kubernetes) {
    return new UnconfiguredEditorClusterClient('No Kubernetes cluster is configured for che-launcher (cheLauncher.kubernetes)');
  }
  try {
    return new KubernetesEditorClusterClient(createKubeConfig(config.kubernetes), config.requestTimeoutMs);
  } catch {
    // createDevWorkspaceClient has logged why.
    return new UnconfiguredEditorClusterClient('The Kubernetes connection of che-launcher is misconfigured; see the backend logs');
  }
}
