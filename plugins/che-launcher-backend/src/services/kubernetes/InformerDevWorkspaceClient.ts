import { LoggerService } from '@backstage/backend-plugin-api';
import { DevWorkspace, DevWorkspaceTemplate } from '../../model/types';
import { DevWorkspaceClient } from './DevWorkspaceClient';
import { DevWorkspaceInformer, parseResourceVersion } from './DevWorkspaceInformer';

/** `k=v,k2==v2` → pairs; undefined for anything else (set-based terms, `!=`, existence). */
export function parseEqualitySelector(selector: string): Array<[string, string]> | undefined {
  const terms: Array<[string, string]> = [];
  for (const part of selector.split(',')) {
    const m = /^\s*([A-Za-z0-9._/-]+)\s*==?\s*([A-Za-z0-9._-]*)\s*$/.exec(part);
    if (!m) return undefined;
    terms.push([m[1], m[2]]);
  }
  return terms;
}

function matches(terms: Array<[string, string]>, labels: Record<string, string> | undefined): boolean {
  return terms.every(([k, v]) => (labels?.[k] ?? '') === v && (v !== '' || labels?.[k] !== undefined));
}

/** A write this process made that reads must not miss. */
interface PendingWrite {
  namespace: string;
  name: string;
  /**
   * The object's labels before and after the write: a read selecting either must see it (a
   * relabelled object leaves one selection and joins another). undefined: not known (matches
   * every selector).
   */
  labels?: Array<Record<string, string> | undefined>;
  /** Seen once the informer has caught up with this resourceVersion. */
  resourceVersion?: bigint;
  /** A delete: seen once the cache no longer has it, or has it marked for deletion. */
  deleted?: boolean;
}

const MAX_PENDING_WRITES = 10_000;

/**
 * Serves `list` and `get` from the DevWorkspace informer once it is synced and watching, and
 * everything else (and reads while it is not) through the API client.
 *
 * Read-your-writes: every create, patch and delete made through this client is remembered until
 * the informer has seen it (its resourceVersion, or for a delete the object gone or marked);
 * a read that such a write could change waits for that, at most `consistencyTimeoutMs`, then
 * reads from the API server instead. `get` of a name the cache does not hold also asks the API
 * server (an object created elsewhere a moment ago, or one outside the informer's selector).
 */
export class InformerDevWorkspaceClient implements DevWorkspaceClient {
  private readonly pending = new Set<PendingWrite>();
  private readonly informerTerms: Array<[string, string]>;
  private fallingBack = false;

  constructor(
    private readonly api: DevWorkspaceClient,
    private readonly informer: DevWorkspaceInformer,
    private readonly options: { labelSelector: string; consistencyTimeoutMs: number; logger: LoggerService },
  ) {
    const terms = parseEqualitySelector(options.labelSelector);
    if (!terms) throw new Error(`The informer's label selector must be equality terms: ${options.labelSelector}`);
    this.informerTerms = terms;
  }

  async create(devWorkspace: DevWorkspace): Promise<DevWorkspace> {
    return this.remember(await this.api.create(devWorkspace), []);
  }

  createTemplate(template: DevWorkspaceTemplate): Promise<void> {
    return this.api.createTemplate(template);
  }

  async patch(namespace: string, name: string, jsonPatch: object[]): Promise<DevWorkspace> {
    const before = this.labelsKnown(namespace, name);
    return this.remember(await this.api.patch(namespace, name, jsonPatch), before);
  }

  async delete(namespace: string, name: string): Promise<boolean> {
    const labels = this.labelsKnown(namespace, name);
    const deleted = await this.api.delete(namespace, name);
    if (deleted) this.addPending({ namespace, name, labels, deleted: true });
    return deleted;
  }

  deleteTemplate(namespace: string, name: string): Promise<boolean> {
    return this.api.deleteTemplate(namespace, name);
  }

  async get(namespace: string, name: string): Promise<DevWorkspace | undefined> {
    const cached = await this.whenConsistent(
      w => w.namespace === namespace && w.name === name,
      () => this.informer.get(namespace, name),
    );
    if (cached.served && cached.value) return cached.value;
    return this.api.get(namespace, name);
  }

  async list(labelSelector: string, namespace?: string): Promise<DevWorkspace[]> {
    const terms = parseEqualitySelector(labelSelector);
    const coversInformer =
      terms && this.informerTerms.every(([k, v]) => terms.some(([k2, v2]) => k === k2 && v === v2));
    if (!terms || !coversInformer) return this.api.list(labelSelector, namespace);
    const cached = await this.whenConsistent(
      w => (namespace === undefined || w.namespace === namespace) && (!w.labels || w.labels.some(l => matches(terms, l))),
      () => this.readCache(terms, namespace),
    );
    return cached.served ? cached.value : this.api.list(labelSelector, namespace);
  }

  /** From a label index when the selector names an indexed label (e.g. a user's own workspaces), else the whole cache. */
  private readCache(terms: Array<[string, string]>, namespace: string | undefined): DevWorkspace[] {
    const matching = (dw: DevWorkspace) => matches(terms, dw.metadata.labels);
    for (const [label, value] of terms) {
      const indexed = this.informer.listByLabel(label, value, namespace, matching);
      if (indexed) return indexed;
    }
    return this.informer.list(namespace, matching);
  }

  /**
   * Every label set the object may have in the cache until this process's writes to it are seen:
   * the cached one and those of its unseen writes; undefined when not known (not cached).
   */
  private labelsKnown(namespace: string, name: string): PendingWrite['labels'] {
    const cached = this.informer.get(namespace, name);
    if (!cached) return undefined;
    const labels: NonNullable<PendingWrite['labels']> = [cached.metadata.labels];
    for (const write of this.unseen(w => w.namespace === namespace && w.name === name)) {
      if (!write.labels) return undefined;
      labels.push(...write.labels);
    }
    return labels;
  }

  /** `labelsBefore`: the labels the object had as far as this process knows (undefined: not known). */
  private remember(written: DevWorkspace, labelsBefore: Array<Record<string, string> | undefined> | undefined): DevWorkspace {
    const resourceVersion = parseResourceVersion(written.metadata.resourceVersion);
    if (resourceVersion !== undefined) {
      this.addPending({
        namespace: written.metadata.namespace,
        name: written.metadata.name,
        labels: labelsBefore && [...labelsBefore, written.metadata.labels],
        resourceVersion,
      });
    }
    return written;
  }

  private addPending(write: PendingWrite): void {
    if (this.pending.size >= MAX_PENDING_WRITES) {
      // The oldest; by now long seen or its reads long fallen back.
      this.pending.delete(this.pending.values().next().value!);
    }
    this.pending.add(write);
  }

  private seen(write: PendingWrite): boolean {
    if (write.deleted) {
      const cached = this.informer.get(write.namespace, write.name);
      return !cached || !!cached.metadata.deletionTimestamp;
    }
    const current = this.informer.resourceVersion;
    return current !== undefined && write.resourceVersion !== undefined && current >= write.resourceVersion;
  }

  /** The writes `affects` picks that the informer has not seen yet (seen ones are forgotten). */
  private unseen(affects: (write: PendingWrite) => boolean): PendingWrite[] {
    const out: PendingWrite[] = [];
    for (const write of this.pending) {
      if (this.seen(write)) this.pending.delete(write);
      else if (affects(write)) out.push(write);
    }
    return out;
  }

  /**
   * Reads from the informer once it is ready and has seen the writes the read could see,
   * waiting at most `consistencyTimeoutMs`; `served: false` means: read from the API server.
   */
  private async whenConsistent<T>(
    affects: (write: PendingWrite) => boolean,
    read: () => T,
  ): Promise<{ served: true; value: T } | { served: false }> {
    if (!this.informer.ready) return this.fallBack('the informer is not synced or its watch is broken');
    if (this.unseen(affects).length === 0) return this.serve(read);
    const caughtUp = await new Promise<boolean>(resolve => {
      const check = () => {
        if (!this.informer.ready) finish(false);
        else if (this.unseen(affects).length === 0) finish(true);
      };
      const unsubscribe = this.informer.onChange(check);
      const timer = setTimeout(() => finish(false), this.options.consistencyTimeoutMs);
      function finish(result: boolean) {
        unsubscribe();
        clearTimeout(timer);
        resolve(result);
      }
    });
    if (caughtUp) return this.serve(read);
    if (!this.informer.ready) return this.fallBack('the informer is not synced or its watch is broken');
    this.options.logger.warn(
      `Reading DevWorkspaces from the API server: the informer had not seen a write of this process within ${this.options.consistencyTimeoutMs} ms`,
    );
    return { served: false };
  }

  private serve<T>(read: () => T): { served: true; value: T } {
    this.fallingBack = false;
    return { served: true, value: read() };
  }

  private fallBack(why: string): { served: false } {
    // Once per outage at info level (the informer logs the failure itself), then at debug.
    const message = `Reading DevWorkspaces from the API server: ${why}`;
    if (this.fallingBack) this.options.logger.debug(message);
    else this.options.logger.info(message);
    this.fallingBack = true;
    return { served: false };
  }
}
