/**
 * A level-triggered stand-in for the DevWorkspace Operator: it watches DevWorkspaces in the
 * store and moves `status.phase` the way the DWO does, so clients can wait on phases.
 */
import { randomBytes } from 'node:crypto';
import { devWorkspaceResource, KubeObject, ResourceDefinition } from '../resources';
import { ObjectStore, StoreEvent } from '../store/ObjectStore';
import { KubeStatusError } from '../status';

export const DEVWORKSPACE_FINALIZER = 'storage.controller.devfile.io';

export interface DevWorkspaceControllerOptions {
  /** Starting → Running (or Failed) after this many ms. Default 50. */
  startDelayMs?: number;
  /** Stopping → Stopped and Terminating → gone after this many ms. Default 50. */
  stopDelayMs?: number;
  /** mainUrl is `<mainUrlBase>/<namespace>/<name>/3100/`. Default `https://che.test`. */
  mainUrlBase?: string;
  /** A container image containing this string makes the workspace Failed. Default `broken`. */
  failingImageMarker?: string;
}

type Status = Record<string, unknown> & { phase?: string; devworkspaceId?: string; mainUrl?: string; message?: string };
type TimerKind = 'start' | 'stop' | 'terminate';

const ACTIVE_PHASES = ['Starting', 'Running', 'Failed'];

interface Container {
  name: string;
  image: string;
}

function containersOf(dw: KubeObject): Container[] {
  const spec = (dw.spec ?? {}) as { template?: { components?: Array<{ name?: string; container?: { image?: string } }> } };
  return (spec.template?.components ?? [])
    .filter(c => c && c.container && typeof c.container.image === 'string')
    .map(c => ({ name: String(c.name ?? 'container'), image: c.container!.image! }));
}

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

  /** The URL the simulator reports as `status.mainUrl` for a workspace. */
  mainUrlFor(namespace: string, name: string): string {
    return `${this.options.mainUrlBase}/${namespace}/${name}/3100/`;
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
        delete next.mainUrl;
      }
      if (next.phase === 'Starting') this.schedule(namespace, name, m.uid!, 'start', this.options.startDelayMs);
    } else {
      if (ACTIVE_PHASES.includes(String(next.phase))) {
        next.phase = 'Stopping';
        delete next.message;
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
      const broken = containersOf(dw).find(c => c.image.includes(this.options.failingImageMarker));
      if (broken) {
        this.writeStatus(dw, {
          ...status,
          phase: 'Failed',
          message: `Container ${broken.name} has state ErrImagePull: failed to pull image "${broken.image}"`,
        });
      } else {
        const mainUrl = this.mainUrlFor(namespace, name);
        this.writeStatus(dw, { ...status, phase: 'Running', mainUrl, message: mainUrl });
      }
    }
    if (kind === 'stop' && !started && status.phase === 'Stopping') {
      const { mainUrl: _url, message: _message, ...rest } = status;
      this.writeStatus(dw, { ...rest, phase: 'Stopped' });
    }
  }
}
