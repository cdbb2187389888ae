import { ServiceUnavailableError } from '@backstage/errors';
import { CustomObjectsApi, KubeConfig, PatchStrategy } from '@kubernetes/client-node';
import {
  DEVWORKSPACE_GROUP,
  DEVWORKSPACE_PLURAL,
  DEVWORKSPACE_TEMPLATE_PLURAL,
  DEVWORKSPACE_VERSION,
} from '../../model/constants';
import { DevWorkspace, DevWorkspaceTemplate } from '../../model/types';
import { BoundedKubernetesCalls } from './BoundedKubernetesCalls';
import { kubernetesCodeOf, KubernetesRequest } from './errors';

/** Reads and writes DevWorkspaces and DevWorkspaceTemplates through the Kubernetes API. */
export interface DevWorkspaceClient {
  create(devWorkspace: DevWorkspace): Promise<DevWorkspace>;
  createTemplate(template: DevWorkspaceTemplate): Promise<void>;
  /** undefined when there is no such DevWorkspace. */
  get(namespace: string, name: string): Promise<DevWorkspace | undefined>;
  /** Cluster-wide when no namespace is given. */
  list(labelSelector: string, namespace?: string): Promise<DevWorkspace[]>;
  /** RFC 6902 JSON Patch. */
  patch(namespace: string, name: string, jsonPatch: object[]): Promise<DevWorkspace>;
  /** false when it was already gone. */
  delete(namespace: string, name: string): Promise<boolean>;
  deleteTemplate(namespace: string, name: string): Promise<boolean>;
}

const dw = { group: DEVWORKSPACE_GROUP, version: DEVWORKSPACE_VERSION, plural: DEVWORKSPACE_PLURAL };
const dwt = { ...dw, plural: DEVWORKSPACE_TEMPLATE_PLURAL };

/** Every call is bounded by `timeoutMs` (aborted, then 504) and errors are translated. */
export class KubernetesDevWorkspaceClient implements DevWorkspaceClient {
  private readonly api: CustomObjectsApi;
  private readonly calls: BoundedKubernetesCalls;

  constructor(kubeConfig: KubeConfig, timeoutMs: number) {
    this.api = kubeConfig.makeApiClient(CustomObjectsApi);
    this.calls = new BoundedKubernetesCalls(kubeConfig, timeoutMs);
  }

  private request(
    verb: KubernetesRequest['verb'],
    kind: typeof dw,
    namespace?: string,
    name?: string,
  ): Omit<KubernetesRequest, 'host'> {
    return { verb, plural: kind.plural, group: kind.group, version: kind.version, namespace, name };
  }

  private call<T>(
    request: Omit<KubernetesRequest, 'host'>,
    fn: (options: any) => Promise<T>,
    contentType?: string,
  ): Promise<T> {
    return this.calls.call(request, fn, contentType);
  }

  async create(devWorkspace: DevWorkspace): Promise<DevWorkspace> {
    const { namespace, name } = devWorkspace.metadata;
    return this.call(this.request('create', dw, namespace, name), options =>
      this.api.createNamespacedCustomObject(
        { ...dw, namespace, body: devWorkspace },
        options,
      ),
    );
  }

  async createTemplate(template: DevWorkspaceTemplate): Promise<void> {
    const { namespace, name } = template.metadata;
    await this.call(this.request('create', dwt, namespace, name), options =>
      this.api.createNamespacedCustomObject(
        { ...dwt, namespace, body: template },
        options,
      ),
    );
  }

  async get(namespace: string, name: string): Promise<DevWorkspace | undefined> {
    try {
      return await this.call(this.request('get', dw, namespace, name), options =>
        this.api.getNamespacedCustomObject({ ...dw, namespace, name }, options),
      );
    } catch (error) {
      if (kubernetesCodeOf(error) === 404 && (error as Error).name === 'NotFoundError') return undefined;
      throw error;
    }
  }

  async list(labelSelector: string, namespace?: string): Promise<DevWorkspace[]> {
    const result = await this.call(this.request('list', dw, namespace), options =>
      namespace
        ? this.api.listNamespacedCustomObject({ ...dw, namespace, labelSelector }, options)
        : this.api.listClusterCustomObject({ ...dw, labelSelector }, options),
    );
    return Array.isArray(result?.items) ? result.items : [];
  }

  async patch(namespace: string, name: string, jsonPatch: object[]): Promise<DevWorkspace> {
    return this.call(
      this.request('patch', dw, namespace, name),
      options =>
        this.api.patchNamespacedCustomObject({ ...dw, namespace, name, body: jsonPatch }, options),
      PatchStrategy.JsonPatch,
    );
  }

  async delete(namespace: string, name: string): Promise<boolean> {
    return this.deleteObject(dw, namespace, name);
  }

  async deleteTemplate(namespace: string, name: string): Promise<boolean> {
    return this.deleteObject(dwt, namespace, name);
  }

  private async deleteObject(
    kind: typeof dw,
    namespace: string,
    name: string,
  ): Promise<boolean> {
    try {
      await this.call(this.request('delete', kind, namespace, name), options =>
        this.api.deleteNamespacedCustomObject(
          { ...kind, namespace, name, propagationPolicy: 'Background' },
          options,
        ),
      );
      return true;
    } catch (error) {
      if (kubernetesCodeOf(error) === 404 && (error as Error).name === 'NotFoundError') return false;
      throw error;
    }
  }
}

/** Stands in when no cluster is configured (or its configuration is unusable): every call 503. */
export class UnconfiguredDevWorkspaceClient implements DevWorkspaceClient {
  constructor(private readonly reason: string) {}

  private fail(): never {
    throw new ServiceUnavailableError(this.reason);
  }

  create = async (): Promise<DevWorkspace> => this.fail();
  createTemplate = async (): Promise<void> => this.fail();
  get = async (): Promise<DevWorkspace | undefined> => this.fail();
  list = async (): Promise<DevWorkspace[]> => this.fail();
  patch = async (): Promise<DevWorkspace> => this.fail();
  delete = async (): Promise<boolean> => this.fail();
  deleteTemplate = async (): Promise<boolean> => this.fail();
}
