import { LoggerService } from '@backstage/backend-plugin-api';
import {
  CustomObjectsApi,
  KubeConfig,
  KubernetesListObject,
  KubernetesObject,
  ListWatch,
  Observable,
  RequestContext,
  ResponseContext,
  Watch,
} from '@kubernetes/client-node';
import { DEVWORKSPACE_GROUP, DEVWORKSPACE_PLURAL, DEVWORKSPACE_VERSION } from '../../model/constants';
import { DevWorkspace } from '../../model/types';
import { LabelIndex } from './LabelIndex';

export interface DevWorkspaceInformerOptions {
  /** Only DevWorkspaces with these labels are kept (`k=v,k2=v2`). */
  labelSelector: string;
  /** Bound of the list call that (re)fills the cache. */
  listTimeoutMs: number;
  /** The server ends each watch after about this long (with jitter); the client gives up 30 s later. */
  watchTimeoutSeconds?: number;
  /** Labels whose values index the cache: a list selecting one value reads only its objects (see `listByLabel`). */
  indexLabels?: string[];
  /** First delay before restarting a failed list or watch; doubles up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

const path = `/apis/${DEVWORKSPACE_GROUP}/${DEVWORKSPACE_VERSION}/${DEVWORKSPACE_PLURAL}`;

type WatchCallback = (phase: string, apiObj: any, watchObj?: any) => void;
type DoneCallback = (err: any) => void;

function describe(error: unknown): string {
  const e = error as { statusCode?: number; code?: number | string; message?: string };
  const code = e?.statusCode ?? e?.code;
  return `${code !== undefined ? `${code} ` : ''}${String(e?.message ?? error).slice(0, 200)}`;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** etcd-backed API servers issue resourceVersions as increasing integers. */
export function parseResourceVersion(value: string | undefined): bigint | undefined {
  return value && /^\d+$/.test(value) ? BigInt(value) : undefined;
}

/**
 * An in-memory copy of the cluster's DevWorkspaces (cluster-wide, one label selector), kept by
 * client-node's ListWatch: list, then watch from the list's resourceVersion with bookmarks and a
 * server-side timeout; re-watch from the last seen resourceVersion when a watch ends, relist after
 * 410 Expired, restart with backoff after errors.
 *
 * `ready` is true only while a watch stream is open, so callers fall back to direct reads before
 * the first sync and while the watch is broken. Cached objects are frozen: read-only.
 */
export class DevWorkspaceInformer {
  // client-node's object type has Date timestamps; the wire (and DevWorkspace) has strings.
  private readonly listWatch: ListWatch<KubernetesObject>;
  private readonly api: CustomObjectsApi;
  private readonly watchers = new Set<() => void>();
  private readonly indexes: Map<string, LabelIndex>;
  private watchOpen = false;
  private stopped = true;
  private retryDelayMs: number;
  private retryTimer?: NodeJS.Timeout;
  private brokenSince?: number;

  constructor(
    kubeConfig: KubeConfig,
    private readonly logger: LoggerService,
    private readonly options: DevWorkspaceInformerOptions,
  ) {
    this.api = kubeConfig.makeApiClient(CustomObjectsApi);
    this.retryDelayMs = options.retryDelayMs ?? 250;
    const watch = new Watch(kubeConfig);
    const instrumented = {
      watch: (p: string, query: Record<string, any>, callback: WatchCallback, done: DoneCallback) =>
        this.watch(watch, p, query, callback, done),
    } as unknown as Watch;
    this.listWatch = new ListWatch<KubernetesObject>(
      path,
      instrumented,
      () => this.fetchList(),
      false,
      options.labelSelector,
    );
    this.indexes = new Map((options.indexLabels ?? []).map(label => [label, new LabelIndex(label)]));
    const put = (object: KubernetesObject) => {
      const dw = deepFreeze(object) as unknown as DevWorkspace;
      for (const index of this.indexes.values()) index.put(dw);
    };
    this.listWatch.on('add', put);
    this.listWatch.on('update', put);
    this.listWatch.on('delete', object => {
      for (const index of this.indexes.values()) index.remove(object as unknown as DevWorkspace);
    });
    this.listWatch.on('error', error => this.onError(error));
  }

  /** Whether the cache is synced and its watch open: reads may be served from it. */
  get ready(): boolean {
    return this.watchOpen;
  }

  /** The last resourceVersion the cache has caught up with (list, event or bookmark). */
  get resourceVersion(): bigint | undefined {
    return parseResourceVersion(this.listWatch.latestResourceVersion());
  }

  get(namespace: string, name: string): DevWorkspace | undefined {
    return this.listWatch.get(name, namespace) as DevWorkspace | undefined;
  }

  /** The cached DevWorkspaces (of one namespace, or all) that pass `filter`. */
  list(namespace: string | undefined, filter: (dw: DevWorkspace) => boolean): DevWorkspace[] {
    return (this.listWatch.list(namespace) as unknown as DevWorkspace[]).filter(filter);
  }

  /**
   * The cached DevWorkspaces whose `label` has `value` (of one namespace, or all) that pass
   * `filter`, read from the label's index without going through the whole cache; undefined when
   * the label is not one of `indexLabels`.
   */
  listByLabel(
    label: string,
    value: string,
    namespace: string | undefined,
    filter: (dw: DevWorkspace) => boolean,
  ): DevWorkspace[] | undefined {
    const index = this.indexes.get(label);
    if (!index) return undefined;
    return index.get(value).filter(dw => (namespace === undefined || dw.metadata.namespace === namespace) && filter(dw));
  }

  /** Calls `onChange` after every change the cache takes in (events, bookmarks, relists, state); returns an unsubscribe. */
  onChange(onChange: () => void): () => void {
    this.watchers.add(onChange);
    return () => this.watchers.delete(onChange);
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.logger.info(`Keeping an informer of DevWorkspaces (${this.options.labelSelector}) for listing`);
    await this.listWatch.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.setWatchOpen(false);
    await this.listWatch.stop();
  }

  private notify(): void {
    for (const w of [...this.watchers]) w();
  }

  private setWatchOpen(open: boolean): void {
    if (this.watchOpen === open) return;
    this.watchOpen = open;
    this.notify();
  }

  private async fetchList(): Promise<KubernetesListObject<KubernetesObject>> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.listTimeoutMs);
    const signal = {
      pre: (context: RequestContext) => {
        context.setSignal(controller.signal);
        return new Observable(Promise.resolve(context));
      },
      post: (context: ResponseContext) => new Observable(Promise.resolve(context)),
    };
    try {
      return (await this.api.listClusterCustomObject(
        {
          group: DEVWORKSPACE_GROUP,
          version: DEVWORKSPACE_VERSION,
          plural: DEVWORKSPACE_PLURAL,
          labelSelector: this.options.labelSelector,
        },
        { middleware: [signal], middlewareMergeStrategy: 'append' },
      )) as KubernetesListObject<KubernetesObject>;
    } finally {
      clearTimeout(timer);
    }
  }

  /** client-node's Watch with bookmarks, a jittered server-side timeout and a client-side one. */
  private async watch(
    watch: Watch,
    watchPath: string,
    query: Record<string, any>,
    callback: WatchCallback,
    done: DoneCallback,
  ): Promise<AbortController> {
    const base = this.options.watchTimeoutSeconds ?? 300;
    const timeoutSeconds = Math.round(base * (1 + Math.random()));
    let closed = false;
    let watchdog: NodeJS.Timeout | undefined;
    const controller = await watch.watch(
      watchPath,
      { ...query, allowWatchBookmarks: true, timeoutSeconds },
      (phase, object, raw) => {
        callback(phase, object, raw);
        if (phase === 'ERROR') {
          // 410 Expired (the history was compacted): ListWatch relists when the stream ends.
          this.logger.info(`DevWorkspace watch answered ${describe(object)}; listing again`);
          this.setWatchOpen(false);
        }
        this.notify();
      },
      err => {
        closed = true;
        clearTimeout(watchdog);
        this.setWatchOpen(false);
        done(err);
      },
    );
    if (!closed && this.stopped) {
      // Stopped while this watch was connecting: ListWatch.stop() had nothing to abort yet.
      controller.abort();
    } else if (!closed) {
      watchdog = setTimeout(() => controller.abort(), (timeoutSeconds + 30) * 1000);
      watchdog.unref();
      this.retryDelayMs = this.options.retryDelayMs ?? 250;
      if (this.brokenSince !== undefined) {
        this.logger.info(`DevWorkspace watch restored after ${Date.now() - this.brokenSince} ms; lists are served from the informer again`);
        this.brokenSince = undefined;
      }
      this.setWatchOpen(true);
    }
    return controller;
  }

  /** client-node's ListWatch stops after an error other than 410; start it again, with backoff. */
  private onError(error: unknown): void {
    this.setWatchOpen(false);
    if (this.stopped) return;
    if (this.brokenSince === undefined) {
      this.brokenSince = Date.now();
      this.logger.warn(`DevWorkspace informer failed (${describe(error)}); lists go to the API server until it recovers`);
    }
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(delay * 2, this.options.maxRetryDelayMs ?? 10_000);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (!this.stopped) void this.listWatch.start();
    }, delay);
    this.retryTimer.unref();
  }
}
