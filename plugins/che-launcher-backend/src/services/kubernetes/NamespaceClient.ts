import { ServiceUnavailableError } from '@backstage/errors';
import { CoreV1Api, KubeConfig, V1Namespace } from '@kubernetes/client-node';
import { BoundedKubernetesCalls } from './BoundedKubernetesCalls';
import { kubernetesCodeOf } from './errors';

/** Reads and creates namespaces (Che's user namespaces). */
export interface NamespaceClient {
  list(labelSelector: string): Promise<V1Namespace[]>;
  /** undefined when there is no such namespace. */
  get(name: string): Promise<V1Namespace | undefined>;
  create(namespace: V1Namespace): Promise<V1Namespace>;
}

const ns = { plural: 'namespaces', group: '', version: 'v1' };

export class KubernetesNamespaceClient implements NamespaceClient {
  private readonly api: CoreV1Api;
  private readonly calls: BoundedKubernetesCalls;

  constructor(kubeConfig: KubeConfig, timeoutMs: number) {
    this.api = kubeConfig.makeApiClient(CoreV1Api);
    this.calls = new BoundedKubernetesCalls(kubeConfig, timeoutMs);
  }

  async list(labelSelector: string): Promise<V1Namespace[]> {
    const result = await this.calls.call({ verb: 'list', ...ns }, options =>
      this.api.listNamespace({ labelSelector }, options),
    );
    return result.items ?? [];
  }

  async get(name: string): Promise<V1Namespace | undefined> {
    try {
      return await this.calls.call({ verb: 'get', ...ns, name }, options =>
        this.api.readNamespace({ name }, options),
      );
    } catch (error) {
      if (kubernetesCodeOf(error) === 404 && (error as Error).name === 'NotFoundError') return undefined;
      throw error;
    }
  }

  async create(namespace: V1Namespace): Promise<V1Namespace> {
    return this.calls.call({ verb: 'create', ...ns, name: namespace.metadata?.name }, options =>
      this.api.createNamespace({ body: namespace }, options),
    );
  }
}

/** Stands in when no cluster is configured: every call 503. */
export class UnconfiguredNamespaceClient implements NamespaceClient {
  constructor(private readonly reason: string) {}

  private fail(): never {
    throw new ServiceUnavailableError(this.reason);
  }

  list = async (): Promise<V1Namespace[]> => this.fail();
  get = async (): Promise<V1Namespace | undefined> => this.fail();
  create = async (): Promise<V1Namespace> => this.fail();
}
