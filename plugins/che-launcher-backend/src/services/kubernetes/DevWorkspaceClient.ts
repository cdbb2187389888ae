import { ServiceUnavailableError } from '@backstage/errors';
import {
  CustomObjectsApi,
  KubeConfig,
  Observable,
  PatchStrategy,
  RequestContext,
  ResponseContext,
} from '@kubernetes/client-node';
import {
  DEVWORKSPACE_GROUP,
  DEVWORKSPACE_PLURAL,
  DEVWORKSPACE_TEMPLATE_PLURAL,
  DEVWORKSPACE_VERSION,
} from '../workspace/constants';
import { DevWorkspace, DevWorkspaceTemplate } from '../workspace/types';
import { KubernetesApiError, translateKubernetesError } from './errors';
import { KeepAliveAgents } from './KeepAliveAgents';

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
  private readonly agents = new KeepAliveAgents();

  constructor(
    kubeConfig: KubeConfig,
    private readonly timeoutMs: number,
  ) {
    this.api = kubeConfig.makeApiClient(CustomObjectsApi);
  }

  async create(devWorkspace: DevWorkspace): Promise<DevWorkspace> {
    return this.call(options =>
      this.api.createNamespacedCustomObject(
        { ...dw, namespace: devWorkspace.metadata.namespace, body: devWorkspace },
        options,
      ),
    );
  }

  async createTemplate(template: DevWorkspaceTemplate): Promise<void> {
    await this.call(options =>
      this.api.createNamespacedCustomObject(
        { ...dwt, namespace: template.metadata.namespace, body: template },
        options,
      ),
    );
  }

  async get(namespace: string, name: string): Promise<DevWorkspace | undefined> {
    try {
      return await this.call(options =>
        this.api.getNamespacedCustomObject({ ...dw, namespace, name }, options),
      );
    } catch (error) {
      if (error instanceof KubernetesApiError && error.code === 404) return undefined;
      throw error;
    }
  }

  async list(labelSelector: string, namespace?: string): Promise<DevWorkspace[]> {
    const result = await this.call(options =>
      namespace
        ? this.api.listNamespacedCustomObject({ ...dw, namespace, labelSelector }, options)
        : this.api.listClusterCustomObject({ ...dw, labelSelector }, options),
    );
    return Array.isArray(result?.items) ? result.items : [];
  }

  async patch(namespace: string, name: string, jsonPatch: object[]): Promise<DevWorkspace> {
    return this.call(
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
      await this.call(options =>
        this.api.deleteNamespacedCustomObject(
          { ...kind, namespace, name, propagationPolicy: 'Background' },
          options,
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof KubernetesApiError && error.code === 404) return false;
      throw error;
    }
  }

  private async call<T>(
    fn: (options: any) => Promise<T>,
    contentType?: string,
  ): Promise<T> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new Error('timeout'));
      }, this.timeoutMs);
    });
    // Per-call middleware: the abort signal, a shared keep-alive agent in place of the one
    // the client made for this call alone, and the patch Content-Type forced explicitly
    // (never left to the client's defaults).
    const middleware = {
      pre: (context: RequestContext) => {
        context.setSignal(controller.signal);
        const agent = context.getAgent();
        if (agent) context.setAgent(this.agents.reuse(agent));
        if (contentType) context.setHeaderParam('Content-Type', contentType);
        return new Observable(Promise.resolve(context));
      },
      post: (context: ResponseContext) => new Observable(Promise.resolve(context)),
    };
    try {
      return await Promise.race([
        fn({ middleware: [middleware], middlewareMergeStrategy: 'append' }),
        timedOut,
      ]);
    } catch (error) {
      throw translateKubernetesError(error, {
        timedOut: controller.signal.aborted,
        timeoutMs: this.timeoutMs,
      });
    } finally {
      clearTimeout(timer);
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
