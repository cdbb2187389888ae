/**
 * A level-triggered stand-in for the DevWorkspace Operator: it watches DevWorkspaces in the
 * store and moves `status.phase` the way the DWO does, so clients can wait on phases.
 */
import { randomBytes } from 'node:crypto';
import { devWorkspaceResource, devWorkspaceTemplateResource, KubeObject, namespaceResource, ResourceDefinition } from '../resources';
import { ObjectStore, StoreEvent } from '../store/ObjectStore';
import { KubeStatusError } from '../status';

export const DEVWORKSPACE_FINALIZER = 'storage.controller.devfile.io';

export interface DevWorkspaceControllerOptions {
  /** Starting → Running (or Failed) after this many ms. Default 50. */
  startDelayMs?: number;
  /** Stopping → Stopped and Terminating → gone after this many ms. Default 50. */
  stopDelayMs?: number;
  /**
   * Base of `status.mainUrl`: `<base>/<che username>/<name>/<port>/` when the namespace has the
   * `che.eclipse.org/username` annotation (Che's per-user routing), else
   * `<base>/<namespace>/<name>/<port>/`. Default `https://che.test`.
   */
  mainUrlBase?: string;
  /** A container image containing this string makes the workspace Failed. Default `broken`. */
  failingImageMarker?: string;
}

interface Condition {
  type: string;
  status: 'True' | 'False';
  message?: string;
  reason?: string;
  lastTransitionTime?: string;
}
type Status = Record<string, unknown> & {
  phase?: string;
  devworkspaceId?: string;
  mainUrl?: string;
  message?: string;
  conditions?: Condition[];
};
type TimerKind = 'start' | 'stop' | 'terminate';

/** Phases that turn into Stopping when `spec.started` goes false. */
const ACTIVE_PHASES = ['Starting', 'Running'];

/** The conditions DWO writes on the way to Running, in its order, with its messages. */
const STARTED_CONDITIONS: Array<[string, string]> = [
  ['Started', 'DevWorkspace is starting'],
  ['DevWorkspaceResolved', 'Resolved plugins and parents from DevWorkspace'],
  ['StorageReady', 'Storage ready'],
  ['RoutingReady', 'Networking ready'],
  ['ServiceAccountReady', 'DevWorkspace serviceaccount ready'],
  ['PullSecretsReady', 'DevWorkspace secrets ready'],
  ['KubernetesComponentsProvisioned', 'Kubernetes components ready'],
  ['DeploymentReady', 'DevWorkspace deployment ready'],
  ['Ready', ''],
];

function condition(type: string, message: string, status: 'True' | 'False' = 'True'): Condition {
  return { type, status, ...(message ? { message } : {}), lastTransitionTime: new Date().toISOString() };
}

type Endpoint = { name?: string; targetPort?: number; attributes?: Record<string, unknown> };
type Component = { name?: string; container?: { image?: string; endpoints?: Endpoint[] } };

function componentsOf(template: unknown): Component[] {
  const components = (template as { components?: unknown } | undefined)?.components;
  return Array.isArray(components) ? (components.filter(c => c && typeof c === 'object') as Component[]) : [];
}

function commandsOf(template: unknown): string[] {
  const commands = (template as { commands?: Array<{ id?: string }> } | undefined)?.commands;
  return Array.isArray(commands) ? commands.map(c => String(c?.id ?? '')) : [];
}

function eventsOf(template: unknown): string[] {
  const events = (template as { events?: Record<string, unknown> } | undefined)?.events ?? {};
  return Object.values(events).flatMap(v => (Array.isArray(v) ? v.map(String) : []));
}

/** DWO's endpoint names become Kubernetes port names: at most 15 characters. */
const MAX_ENDPOINT_NAME = 15;

export class DevWorkspaceControllerSimulator {
  private readonly options: Required<DevWorkspaceControllerOptions>;
  private readonly resource: ResourceDefinition;
  private readonly timers = new Map<string, { kind: TimerKind; handle: NodeJS.Timeout }>();
  private readonly pending = new Set<string>();
  private readonly immediates = new Set<NodeJS.Immediate>();
  private unsubscribe?: () => void;

  constructor(private readonly store: ObjectStore, options: DevWorkspaceControllerOptions = {}) {
    this.options = {
      startDelayMs: options.startDelayMs ?? 50,
      stopDelayMs: options.stopDelayMs ?? 50,
      mainUrlBase: (options.mainUrlBase ?? 'https://che.test').replace(/\/$/, ''),
      failingImageMarker: options.failingImageMarker ?? 'broken',
    };
    this.resource = devWorkspaceResource;
  }

  start(): void {
    this.unsubscribe ??= this.store.subscribe(e => this.onEvent(e));
    for (const dw of this.store.list(this.resource, undefined)) this.enqueue(dw.metadata!.namespace!, dw.metadata!.name!);
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    for (const t of this.timers.values()) clearTimeout(t.handle);
    this.timers.clear();
    for (const i of this.immediates) clearImmediate(i);
    this.immediates.clear();
    this.pending.clear();
  }

  /** The URL the simulator reports as `status.mainUrl` for a workspace (main endpoint on `port`). */
  mainUrlFor(namespace: string, name: string, port = 3100): string {
    const ns = this.store.find(namespaceResource, undefined, namespace);
    const username = ns?.metadata?.annotations?.['che.eclipse.org/username'];
    return `${this.options.mainUrlBase}/${username ?? namespace}/${name}/${port}/`;
  }

  /**
   * The DevWorkspace's flattened components (its own plus those its contributions' templates
   * add), or why DWO could not process the devfile.
   */
  private resolve(dw: KubeObject): { components: Component[] } | { error: string } {
    const spec = (dw.spec ?? {}) as { template?: unknown; contributions?: Array<{ name?: string; kubernetes?: { name?: string; namespace?: string } }> };
    const components = [...componentsOf(spec.template)];
    const commands = commandsOf(spec.template);
    for (const contribution of spec.contributions ?? []) {
      const ref = contribution?.kubernetes;
      if (!ref?.name) continue;
      const template = this.importableTemplate(dw.metadata!.namespace!, ref.namespace || dw.metadata!.namespace!, ref.name);
      if (!template) {
        // DWO's flatten library: a missing template and one the namespace may not import read alike.
        return { error: `Error processing devfile: plugin for component ${contribution.name} not found` };
      }
      components.push(...componentsOf(template.spec));
      commands.push(...commandsOf(template.spec));
    }
    const endpoints = components.flatMap(c => c.container?.endpoints ?? []);
    const seen = new Set<string>();
    for (const endpoint of endpoints) {
      const name = String(endpoint.name ?? '');
      if (seen.has(name)) return { error: `Invalid devfile: duplicate endpoint name: ${name}` };
      seen.add(name);
      if (name.length > MAX_ENDPOINT_NAME) {
        return { error: `Invalid devfile: endpoint name ${name} is longer than ${MAX_ENDPOINT_NAME} characters` };
      }
    }
    for (const event of eventsOf(spec.template)) {
      if (!commands.includes(event)) {
        return { error: `Invalid devfile: event ${event} refers to a command that does not exist` };
      }
    }
    return { components };
  }

  /**
   * A DevWorkspaceTemplate a DevWorkspace in `namespace` may use: its own namespace's, or one
   * whose `controller.devfile.io/allow-import-from` is `*` or lists the namespace (as DWO checks).
   */
  private importableTemplate(namespace: string, templateNamespace: string, name: string): KubeObject | undefined {
    const template = this.store.find(devWorkspaceTemplateResource, templateNamespace, name);
    if (!template || templateNamespace === namespace) return template;
    const allowed = template.metadata?.annotations?.['controller.devfile.io/allow-import-from'] ?? '';
    return allowed === '*' || allowed.split(',').includes(namespace) ? template : undefined;
  }

  private mainEndpoint(components: Component[]): Endpoint | undefined {
    return components
      .flatMap(c => c.container?.endpoints ?? [])
      .find(e => e.attributes?.type === 'main');
  }

  private onEvent(event: StoreEvent): void {
    const r = event.resource;
    if (r.group !== this.resource.group || r.plural !== this.resource.plural) return;
    const m = event.object.metadata!;
    this.enqueue(m.namespace!, m.name!);
  }

  /** Reconciles on a later tick so store writes never nest inside store events. */
  private enqueue(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    if (this.pending.has(key)) return;
    this.pending.add(key);
    const handle = setImmediate(() => {
      this.immediates.delete(handle);
      this.pending.delete(key);
      this.guard(() => this.reconcile(namespace, name));
    });
    this.immediates.add(handle);
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      // The object changed or vanished between reading and writing: the next event reconciles again.
      if (!(e instanceof KubeStatusError)) throw e;
    }
  }

  private schedule(namespace: string, name: string, uid: string, kind: TimerKind, delayMs: number): void {
    const key = `${namespace}/${name}`;
    const existing = this.timers.get(key);
    if (existing?.kind === kind) return;
    if (existing) clearTimeout(existing.handle);
    const handle = setTimeout(() => {
      this.timers.delete(key);
      this.guard(() => this.onTimer(namespace, name, uid, kind));
    }, delayMs);
    this.timers.set(key, { kind, handle });
  }

  private cancel(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    const t = this.timers.get(key);
    if (t) clearTimeout(t.handle);
    this.timers.delete(key);
  }

  private writeStatus(dw: KubeObject, status: Status): void {
    const m = dw.metadata!;
    this.store.update(this.resource, m.namespace, m.name!, { ...dw, status }, { subresource: 'status' });
  }

  private reconcile(namespace: string, name: string): void {
    const dw = this.store.find(this.resource, namespace, name);
    if (!dw) {
      this.cancel(namespace, name);
      return;
    }
    const m = dw.metadata!;
    const status: Status = { ...((dw.status ?? {}) as Status) };
    const finalizers = m.finalizers ?? [];

    if (m.deletionTimestamp) {
      if (!finalizers.includes(DEVWORKSPACE_FINALIZER)) return;
      if (status.phase !== 'Terminating') {
        this.cancel(namespace, name);
        this.writeStatus(dw, { ...status, phase: 'Terminating', message: 'Cleaning up resources for deletion' });
      }
      this.schedule(namespace, name, m.uid!, 'terminate', this.options.stopDelayMs);
      return;
    }

    const next: Status = { ...status };
    if (!next.devworkspaceId) next.devworkspaceId = `workspace${randomBytes(8).toString('hex')}`;
    const started = (dw.spec as { started?: unknown } | undefined)?.started === true;

    if (started && next.phase === 'Failing') {
      // DWO stops a failing workspace itself: spec.started → false, then Failed.
      this.store.update(this.resource, namespace, name, { ...dw, spec: { ...(dw.spec as object), started: false } });
      return;
    }
    if (started) {
      if (!finalizers.includes(DEVWORKSPACE_FINALIZER)) {
        const updated = this.store.update(this.resource, namespace, name, {
          ...dw,
          metadata: { ...m, finalizers: [...finalizers, DEVWORKSPACE_FINALIZER] },
        });
        dw.metadata = updated.metadata;
      }
      if (!ACTIVE_PHASES.includes(String(next.phase))) {
        next.phase = 'Starting';
        next.message = 'Waiting for workspace deployment';
        next.conditions = [condition('Started', 'DevWorkspace is starting')];
        const resolved = this.resolve(dw);
        if ('components' in resolved) {
          // DWO publishes the main endpoint's URL as soon as routing exists, kept after a stop.
          const main = this.mainEndpoint(resolved.components);
          if (main) next.mainUrl = this.mainUrlFor(namespace, name, Number(main.targetPort ?? 3100));
          else delete next.mainUrl;
        }
      }
      if (next.phase === 'Starting') this.schedule(namespace, name, m.uid!, 'start', this.options.startDelayMs);
    } else {
      if (next.phase === 'Failing') {
        next.phase = 'Failed';
      } else if (ACTIVE_PHASES.includes(String(next.phase))) {
        next.phase = 'Stopping';
        delete next.message;
      } else if (next.phase === undefined) {
        // Created stopped.
        next.phase = 'Stopped';
      }
      if (next.phase === 'Stopping') this.schedule(namespace, name, m.uid!, 'stop', this.options.stopDelayMs);
    }
    if (JSON.stringify(next) !== JSON.stringify(status)) this.writeStatus(dw, next);
  }

  private onTimer(namespace: string, name: string, uid: string, kind: TimerKind): void {
    const dw = this.store.find(this.resource, namespace, name);
    if (!dw || dw.metadata!.uid !== uid) return;
    const m = dw.metadata!;
    const status = { ...((dw.status ?? {}) as Status) };
    const started = (dw.spec as { started?: unknown } | undefined)?.started === true;

    if (kind === 'terminate') {
      if (!m.deletionTimestamp) return;
      const finalizers = (m.finalizers ?? []).filter(f => f !== DEVWORKSPACE_FINALIZER);
      this.store.update(this.resource, namespace, name, { ...dw, metadata: { ...m, finalizers } });
      return;
    }
    if (m.deletionTimestamp) return;
    if (kind === 'start' && started && status.phase === 'Starting') {
      const resolved = this.resolve(dw);
      let failure: string | undefined;
      let components: Component[] = [];
      if ('error' in resolved) {
        failure = resolved.error;
      } else {
        components = resolved.components;
        const broken = components.find(c => String(c.container?.image ?? '').includes(this.options.failingImageMarker));
        if (broken) failure = `Container ${broken.name ?? 'container'} has state ErrImagePull`;
      }
      if (failure) {
        // DWO: FailedStart, Failing; it then stops the workspace (reconcile) and it reads Failed.
        this.writeStatus(dw, {
          ...status,
          phase: 'Failing',
          message: failure,
          conditions: [...(status.conditions ?? []), condition('FailedStart', failure)],
        });
      } else {
        const main = this.mainEndpoint(components);
        const mainUrl = main ? this.mainUrlFor(namespace, name, Number(main.targetPort ?? 3100)) : undefined;
        const { mainUrl: _old, ...rest } = status;
        this.writeStatus(dw, {
          ...rest,
          phase: 'Running',
          ...(mainUrl ? { mainUrl } : {}),
          message: mainUrl ?? 'DevWorkspace is running',
          conditions: STARTED_CONDITIONS.map(([type, message]) => condition(type, message)),
        });
      }
    }
    if (kind === 'stop' && !started && status.phase === 'Stopping') {
      // mainUrl stays, as DWO leaves it; the conditions go.
      const { message: _message, conditions: _conditions, ...rest } = status;
      this.writeStatus(dw, { ...rest, phase: 'Stopped' });
    }
  }
}
