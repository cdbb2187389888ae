/**
 * A Kubernetes API server for tests, speaking the REST conventions client-node relies on,
 * over real HTTP on 127.0.0.1. See README.md for what it covers.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { DevWorkspaceControllerOptions, DevWorkspaceControllerSimulator } from './controller/DevWorkspaceControllerSimulator';
import { Fault, faultMatches, FaultInjector } from './faults';
import { apiGroup, coreVersions, groupList, resourceList, versionInfo } from './http/discovery';
import { handleResource } from './http/handleResource';
import { parseRoute, Route } from './http/parseRoute';
import { readBody } from './http/readBody';
import { isWatchRequest, WatchHub, WatchOptions } from './http/watch';
import { kubeConfigFile, kubeConfigOptions, KubeConfigOptions } from './kubeConfig';
import { parseLabelSelector } from './labelSelector';
import { coreResources, KubeObject, namespaceResource, ResourceDefinition } from './resources';
import { ObjectStore } from './store/ObjectStore';
import { forbidden, internalError, KubeStatus, KubeStatusError, pathNotFound, reasonForCode, unauthorized } from './status';

export interface KubeApiTestServerOptions {
  /** Bearer token required on every request; any other (or none) gets a 401 Status. */
  token: string;
  /** Custom resource types to serve (namespaces are always served). */
  resources?: ResourceDefinition[];
  /** Namespaces that exist from the start. */
  namespaces?: string[];
  /** Run the DevWorkspace controller simulator (needs devWorkspaceResources). */
  controller?: DevWorkspaceControllerOptions | boolean;
  /** The user named in Forbidden messages. */
  userName?: string;
  /**
   * Watches: how many store events are kept for resuming from a resourceVersion (older ones are
   * compacted: 410 Expired; default 10,000), and the bookmark interval and default timeout.
   */
  watch?: WatchOptions & { historyLimit?: number };
}

/**
 * A missing RBAC grant: requests with this verb on this resource are answered 403 Forbidden, in
 * the given namespace, at the cluster scope (`scope: 'cluster'`, e.g. a cluster-wide list), or
 * everywhere (`scope: '*'`, the default).
 */
export interface DenyRule {
  /** Kubernetes verb: get, list, watch, create, update, patch, delete. */
  verb: string;
  /** Resource plural, e.g. `devworkspaces` or `namespaces`. */
  plural: string;
  scope?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
}

export interface ObjectQuery {
  group: string;
  version: string;
  plural: string;
  namespace?: string;
  labelSelector?: string;
}

const MAX_RECORDED_REQUESTS = 10_000;

const VERBS: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete', WATCH: 'watch' };

function send(res: ServerResponse, code: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

export class KubeApiTestServer {
  /** Requests received, oldest first (also those answered by faults or 401); the last 10,000. */
  readonly requests: RecordedRequest[] = [];
  /** How many requests were received since the start (not reset by `clearRequests`, not capped). */
  requestsReceived = 0;
  readonly faults: FaultInjector;
  readonly store = new ObjectStore();
  /** The controller simulator when enabled. */
  readonly controller?: DevWorkspaceControllerSimulator;

  private readonly server: Server;
  private readonly watches: WatchHub;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly deniedNamespaces = new Set<string>();
  private denyRules: DenyRule[] = [];
  private readonly resources: ResourceDefinition[];
  private port = 0;
  private listening = false;
  private stopped = false;
  /** The last error of the listening socket, e.g. when the port could not be reopened. */
  listenError?: Error;

  static async start(options: KubeApiTestServerOptions): Promise<KubeApiTestServer> {
    const server = new KubeApiTestServer(options);
    await server.listen();
    return server;
  }

  private constructor(private readonly options: KubeApiTestServerOptions) {
    if (!options.token) throw new Error('KubeApiTestServer needs a token');
    this.resources = [...(options.resources ?? [])];
    if (options.watch?.historyLimit !== undefined) this.store.setHistoryLimit(options.watch.historyLimit);
    this.watches = new WatchHub(this.store, options.watch);
    this.faults = new FaultInjector(added => this.onFaultsChanged(added));
    for (const ns of options.namespaces ?? []) this.createNamespace(ns);
    if (options.controller) {
      this.controller = new DevWorkspaceControllerSimulator(this.store, options.controller === true ? {} : options.controller);
      this.controller.start();
    }
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(e => send(res, 500, internalError(String(e)).status));
    });
    this.server.keepAliveTimeout = 1000;
    // Reopening the listener after a server-down fault can fail (port taken); keep it visible, not fatal.
    this.server.on('error', e => {
      this.listenError = e;
    });
    this.server.on('connection', socket => {
      if (this.faults.serverDown()) {
        socket.destroy();
        return;
      }
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** `http://127.0.0.1:<port>` */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Options for client-node's `kc.loadFromOptions(kube.kubeConfig())`. */
  kubeConfig(namespace?: string): KubeConfigOptions {
    return kubeConfigOptions(this.url, this.options.token, namespace);
  }

  /** A kubeconfig file's text for `kc.loadFromString(...)` or a `KUBECONFIG` file. */
  kubeConfigYaml(namespace?: string): string {
    return kubeConfigFile(this.url, this.options.token, namespace);
  }

  createNamespace(name: string, labels?: Record<string, string>): KubeObject {
    return this.store.create(namespaceResource, undefined, { metadata: { name, ...(labels ? { labels } : {}) } });
  }

  /** Every request in this namespace (including the namespace itself) gets a 403 Forbidden. */
  denyNamespace(name: string): void {
    this.deniedNamespaces.add(name);
  }

  allowNamespace(name: string): void {
    this.deniedNamespaces.delete(name);
  }

  /** Withholds one RBAC grant from the client (see DenyRule); `allowAll()` restores every grant. */
  deny(rule: DenyRule): void {
    this.denyRules.push({ scope: '*', ...rule });
  }

  allowAll(): void {
    this.denyRules = [];
    this.deniedNamespaces.clear();
  }

  /** Deep copies of the stored objects of one resource, sorted by namespace/name. */
  objects(query: ObjectQuery): KubeObject[] {
    const r = this.resourceFor(query.group, query.version, query.plural);
    return this.store.list(r, query.namespace, parseLabelSelector(query.labelSelector ?? ''));
  }

  /** One stored object (deep copy) or undefined. */
  object(query: ObjectQuery & { name: string }): KubeObject | undefined {
    return this.store.find(this.resourceFor(query.group, query.version, query.plural), query.namespace, query.name);
  }

  /** Creates an object directly in the store (no auth, no faults), e.g. to seed a test; keeps a given `status`. */
  createObject(query: Omit<ObjectQuery, 'labelSelector'>, body: KubeObject): KubeObject {
    const r = this.resourceFor(query.group, query.version, query.plural);
    const created = this.store.create(r, query.namespace, body);
    if (body.status === undefined || !r.statusSubresource) return created;
    return this.store.update(r, query.namespace, created.metadata!.name!, { ...created, status: body.status }, { subresource: 'status' });
  }

  /**
   * Resolves with the first state of an object (undefined = absent) that satisfies `predicate`,
   * checking now and after every store change; rejects after `timeoutMs` (default 5000).
   */
  waitForObject(
    query: Omit<ObjectQuery, 'labelSelector'> & { name: string },
    predicate: (object: KubeObject | undefined) => boolean,
    timeoutMs = 5000,
  ): Promise<KubeObject | undefined> {
    return new Promise((resolve, reject) => {
      const handles: { timer?: NodeJS.Timeout; unsubscribe?: () => void } = {};
      const finish = (outcome: () => void) => {
        handles.unsubscribe?.();
        clearTimeout(handles.timer);
        outcome();
      };
      const check = (): boolean => {
        const current = this.object(query);
        if (!predicate(current)) return false;
        finish(() => resolve(current));
        return true;
      };
      if (check()) return;
      handles.unsubscribe = this.store.subscribe(() => {
        check();
      });
      handles.timer = setTimeout(() => {
        const last = JSON.stringify(this.object(query)?.status ?? null);
        finish(() => reject(new Error(`waitForObject timed out after ${timeoutMs} ms for ${query.plural}/${query.name}: ${last}`)));
      }, timeoutMs);
    });
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  /** How many watch streams are open. */
  openWatches(): number {
    return this.watches.size;
  }

  /**
   * Sets the clock the server stamps `creationTimestamp`/`deletionTimestamp` with, e.g.
   * `() => new Date(Date.now() - 60_000)` to create objects a minute old; `setClock()` restores it.
   */
  setClock(clock: () => Date = () => new Date()): void {
    this.store.setClock(clock);
  }

  /** Delays every watch event from now on by `ms` (0 = none), in order: a lagging watch cache. */
  setWatchEventDelay(ms: number): void {
    this.watches.eventDelayMs = ms;
  }

  /** Ends every open watch stream (as an API server restart would); returns how many. */
  endWatches(): number {
    return this.watches.end();
  }

  /**
   * Compacts the event history (etcd compaction): a watch from any earlier resourceVersion gets
   * an ERROR event 410 Expired, and clients must list again.
   */
  compact(): void {
    this.store.compact();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.controller?.stop();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const s of this.sockets) s.destroy();
    if (this.listening) {
      this.listening = false;
      await new Promise<void>(resolve => this.server.close(() => resolve()));
    }
  }

  private resourceFor(group: string, version: string, plural: string): ResourceDefinition {
    const core = group === '' && version === 'v1' ? coreResources.find(x => x.plural === plural) : undefined;
    if (core) return core;
    const r = this.resources.find(x => x.group === group && x.version === version && x.plural === plural);
    if (!r) throw new Error(`KubeApiTestServer does not serve ${plural}.${group}/${version}`);
    return r;
  }

  private listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      this.server.once('error', onError);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', onError);
        this.port = (this.server.address() as AddressInfo).port;
        this.listening = true;
        resolve();
      });
    });
  }

  private onFaultsChanged(added?: Fault): void {
    this.applyServerDown();
    if (added && (added.status || added.refuseConnections || added.latencyMs)) {
      this.watches.end(w => faultMatches(added, { method: 'GET', path: w.path, watch: true }));
    }
  }

  /** Closes the listener while a server-down fault is active and reopens it on the same port after. */
  private applyServerDown(): void {
    if (this.stopped) return;
    if (this.faults.serverDown() && this.listening) {
      this.listening = false;
      this.server.close();
      for (const s of this.sockets) s.destroy();
    } else if (!this.faults.serverDown() && !this.listening) {
      this.listening = true;
      this.server.listen(this.port, '127.0.0.1');
    }
  }

  private delay(ms: number): Promise<void> {
    return new Promise(resolve => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const contentType = req.headers['content-type'];
    this.requestsReceived += 1;
    this.requests.push({ method, path: url.pathname, query: Object.fromEntries(url.searchParams), ...(contentType ? { contentType } : {}) });
    // Bounded, so a long-running local stand-in does not grow without limit.
    if (this.requests.length > MAX_RECORDED_REQUESTS) this.requests.splice(0, this.requests.length - MAX_RECORDED_REQUESTS);

    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (e) {
      if (e instanceof KubeStatusError) send(res, e.code, e.status);
      else req.socket.destroy();
      return;
    }
    const watch = method === 'GET' && isWatchRequest(url.searchParams);
    const decision = this.faults.decide({ method, path: url.pathname, watch });
    if (decision.latencyMs > 0) {
      await this.delay(decision.latencyMs);
      if (this.stopped) return;
    }
    if (decision.destroySocket) {
      req.socket.destroy();
      return;
    }
    try {
      if (decision.status) {
        const { code, message } = decision.status;
        const reason = reasonForCode(code);
        if (reason === 'InternalError' && !message) throw internalError('injected fault');
        throw new KubeStatusError(code, reason, message ?? `injected ${code} fault`);
      }
      if (req.headers.authorization !== `Bearer ${this.options.token}`) throw unauthorized();
      const answer = this.route(method, url, contentType, body);
      if (answer.watch) this.watches.serve(res, url.pathname, answer.watch);
      else send(res, answer.code, answer.body);
    } catch (e) {
      const status: KubeStatus = e instanceof KubeStatusError ? e.status : internalError(String((e as Error)?.message ?? e)).status;
      send(res, status.code, status);
    }
  }

  private route(
    method: string,
    url: URL,
    contentType: string | undefined,
    body: Buffer,
  ): { code: number; body?: unknown; watch?: { resource: ResourceDefinition; namespace?: string; query: URLSearchParams } } {
    const route: Route | undefined = parseRoute(url.pathname, this.resources);
    if (!route) throw pathNotFound();
    switch (route.type) {
      case 'version':
        return { code: 200, body: versionInfo() };
      case 'coreVersions':
        return { code: 200, body: coreVersions(`127.0.0.1:${this.port}`) };
      case 'groupList':
        return { code: 200, body: groupList(this.resources) };
      case 'group':
        return { code: 200, body: apiGroup(this.resources, route.group) };
      case 'resourceList':
        return { code: 200, body: resourceList(this.resources, route.group, route.version) };
      default:
        break;
    }
    const watch = method === 'GET' && route.type === 'collection' && isWatchRequest(url.searchParams);
    this.authorize(watch ? 'WATCH' : method, route);
    if (watch) return { code: 200, watch: { resource: route.resource, namespace: route.namespace, query: url.searchParams } };
    return handleResource(this.store, { method, route, query: url.searchParams, contentType, body });
  }

  private authorize(method: string, route: Extract<Route, { type: 'collection' | 'object' }>): void {
    const isNamespaceObject = route.resource === namespaceResource && route.type === 'object';
    const namespace = isNamespaceObject ? (route as { name: string }).name : route.namespace;
    const verb = VERBS[method] ?? (route.type === 'collection' ? 'list' : 'get');
    const ruleDenies = this.denyRules.some(
      rule =>
        rule.verb === verb &&
        rule.plural === route.resource.plural &&
        (rule.scope === '*' || rule.scope === (route.namespace ?? 'cluster')),
    );
    if (!ruleDenies && (namespace === undefined || !this.deniedNamespaces.has(namespace))) return;
    const name = route.type === 'object' ? route.name : undefined;
    throw forbidden(route.resource, name, this.options.userName ?? 'system:serviceaccount:default:test-client', verb, namespace);
  }
}
