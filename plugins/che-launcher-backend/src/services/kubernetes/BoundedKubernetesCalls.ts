import { KubeConfig, Observable, RequestContext, ResponseContext } from '@kubernetes/client-node';
import { KubernetesRequest, translateKubernetesError } from './errors';
import { KeepAliveAgents } from './KeepAliveAgents';

/**
 * Runs client-node calls bounded by `timeoutMs` (aborted, then 504) over shared keep-alive
 * agents, translating every failure through the one mapping in errors.ts.
 */
export class BoundedKubernetesCalls {
  private readonly agents = new KeepAliveAgents();
  /** The API server's host, for messages and logs. */
  readonly host: string;

  constructor(
    kubeConfig: KubeConfig,
    readonly timeoutMs: number,
  ) {
    this.host = hostOf(kubeConfig.getCurrentCluster()?.server);
  }

  async call<T>(
    request: Omit<KubernetesRequest, 'host'>,
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
      throw translateKubernetesError(error, { ...request, host: this.host }, {
        timedOut: controller.signal.aborted,
        timeoutMs: this.timeoutMs,
      });
    } finally {
      clearTimeout(timer);
    }
  }
}

function hostOf(server: string | undefined): string {
  try {
    return server ? new URL(server).host : 'unknown';
  } catch {
    return 'unknown';
  }
}
