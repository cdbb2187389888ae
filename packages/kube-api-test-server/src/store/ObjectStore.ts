/**
 * In-memory object storage with the API server's write semantics: system metadata, name
 * validation, resourceVersion/generation, optimistic concurrency, status subresource,
 * finalizers + deletionTimestamp, namespace termination and ownerReference garbage collection.
 */
import { randomUUID } from 'node:crypto';
import { LabelSelector, matchesLabelSelector } from '../labelSelector';
import { generateName } from '../names';
import { isPlainObject, jsonClone, jsonEqual } from '../patch/jsonClone';
import { apiVersionOf, KubeObject, namespaceResource, ObjectMeta, ResourceDefinition } from '../resources';
import {
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  invalid,
  KubeStatus,
  notFound,
  STALE_OBJECT,
  successStatus,
} from '../status';
import { assertConfigMapDecodes, configMapErrors } from './validateConfigMap';
import { FieldError, metadataErrors, nameErrors } from './validateMetadata';

/** Checks of a built-in type's own fields (custom resources here have none beyond metadata). */
function typeErrors(r: ResourceDefinition, obj: KubeObject): FieldError[] {
  if (r.group !== '' || r.plural !== 'configmaps') return [];
  assertConfigMapDecodes(obj);
  return configMapErrors(obj);
}

export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export interface StoreEvent {
  type: StoreEventType;
  resource: ResourceDefinition;
  /** A deep copy; for DELETED the last state, carrying the deletion's resourceVersion. */
  object: KubeObject;
  /** The state before a MODIFIED or DELETED (a deep copy), for watches that filter by selector. */
  previous?: KubeObject;
  /** The store revision this event made (also `object.metadata.resourceVersion`). */
  revision: number;
}

/** What a watch that starts at a resourceVersion gets: the later events, or `expired` after compaction. */
export type EventsSince = { kind: 'events'; events: StoreEvent[] } | { kind: 'expired'; oldest: number };

/** How many events the store keeps for watches that resume from a resourceVersion (etcd's history). */
export const DEFAULT_HISTORY_LIMIT = 10_000;
export type StoreListener = (event: StoreEvent) => void;

export interface UpdateOptions {
  /** 'status' for writes to the `/status` subresource. */
  subresource?: 'status';
  /** PUT semantics: metadata.resourceVersion must be present. */
  requireResourceVersion?: boolean;
}

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
}

export type DeleteResult = { kind: 'deleted'; status: KubeStatus; object: KubeObject } | { kind: 'pending'; object: KubeObject };

interface Entry {
  resource: ResourceDefinition;
  object: KubeObject;
}

/** What a server user is called in Forbidden messages. */
const SERVER_USER = 'system:serviceaccount:test:kube-api-test-server';

/** Kubernetes timestamps: RFC 3339 in whole seconds. */
function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function meta(o: KubeObject): ObjectMeta {
  return (o.metadata ?? {}) as ObjectMeta;
}

export class ObjectStore {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<StoreListener>();
  private revision = 1;
  /** Events after `compactedRevision`, oldest first, at most `historyLimit` of them. */
  private history: StoreEvent[] = [];
  private compactedRevision = 1;
  private historyLimit = DEFAULT_HISTORY_LIMIT;
  private clock: () => Date = () => new Date();

  /** The server's clock for creation and deletion timestamps (tests of age-dependent behaviour). */
  setClock(clock: () => Date): void {
    this.clock = clock;
  }

  private key(r: ResourceDefinition, namespace: string | undefined, name: string): string {
    return `${r.group}/${r.plural}/${r.namespaced ? namespace ?? '' : ''}/${name}`;
  }

  /** The current (latest) resourceVersion of the whole store, as list responses report it. */
  resourceVersion(): string {
    return String(this.revision);
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Keeps at most `limit` events for resuming watches; older ones are compacted away (watching from them: 410). */
  setHistoryLimit(limit: number): void {
    if (!Number.isInteger(limit) || limit < 0) throw new Error('history limit must be an integer >= 0');
    this.historyLimit = limit;
    this.trimHistory();
  }

  /** Compacts the whole history, like etcd compaction: a watch from any older resourceVersion gets 410 Expired. */
  compact(): void {
    this.history = [];
    this.compactedRevision = this.revision;
  }

  /**
   * The events after `revision`, oldest first, or `expired` when some of them were compacted away.
   * A revision at or past the current one has no events yet.
   */
  eventsSince(revision: number): EventsSince {
    if (revision < this.compactedRevision) return { kind: 'expired', oldest: this.compactedRevision };
    const events = this.history.filter(e => e.revision > revision);
    return { kind: 'events', events: events.map(e => ({ ...e, object: jsonClone(e.object), previous: e.previous && jsonClone(e.previous) })) };
  }

  private trimHistory(): void {
    if (this.history.length <= this.historyLimit) return;
    const dropped = this.history.splice(0, this.history.length - this.historyLimit);
    this.compactedRevision = dropped[dropped.length - 1].revision;
  }

  private emit(type: StoreEventType, resource: ResourceDefinition, object: KubeObject, previous?: KubeObject): void {
    const revision = Number(meta(object).resourceVersion);
    const event: StoreEvent = { type, resource, object: jsonClone(object), ...(previous ? { previous: jsonClone(previous) } : {}), revision };
    this.history.push(event);
    this.trimHistory();
    for (const l of [...this.listeners]) l({ ...event, object: jsonClone(event.object), ...(event.previous ? { previous: jsonClone(event.previous) } : {}) });
  }

  private nextResourceVersion(): string {
    this.revision += 1;
    return String(this.revision);
  }

  find(r: ResourceDefinition, namespace: string | undefined, name: string): KubeObject | undefined {
    const e = this.entries.get(this.key(r, namespace, name));
    return e ? jsonClone(e.object) : undefined;
  }

  get(r: ResourceDefinition, namespace: string | undefined, name: string): KubeObject {
    const o = this.find(r, namespace, name);
    if (!o) throw notFound(r, name);
    return o;
  }

  list(r: ResourceDefinition, namespace: string | undefined, selector: LabelSelector = []): KubeObject[] {
    const out: KubeObject[] = [];
    for (const e of this.entries.values()) {
      if (e.resource !== r && !(e.resource.group === r.group && e.resource.plural === r.plural)) continue;
      const m = meta(e.object);
      if (namespace !== undefined && r.namespaced && m.namespace !== namespace) continue;
      if (!matchesLabelSelector(selector, m.labels)) continue;
      out.push(jsonClone(e.object));
    }
    return out.sort((a, b) =>
      `${meta(a).namespace ?? ''}/${meta(a).name}`.localeCompare(`${meta(b).namespace ?? ''}/${meta(b).name}`),
    );
  }

  /** Throws NotFound unless the namespace exists; Forbidden when it is terminating and `forCreate`. */
  assertNamespace(namespace: string, forCreate = false, resource?: ResourceDefinition): void {
    const ns = this.find(namespaceResource, undefined, namespace);
    if (!ns) throw notFound(namespaceResource, namespace);
    if (forCreate && meta(ns).deletionTimestamp && resource) {
      const error = forbidden(resource, undefined, SERVER_USER, 'create', namespace,
        `unable to create new content in namespace ${namespace} because it is being terminated`);
      // As the NamespaceLifecycle admission plugin answers.
      error.status.details = {
        ...error.status.details,
        causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }],
      };
      throw error;
    }
  }

  create(r: ResourceDefinition, namespace: string | undefined, body: unknown): KubeObject {
    if (!isPlainObject(body)) throw badRequest('the request body must be a JSON object');
    const obj = jsonClone(body) as KubeObject;
    r.applyDefaults?.(obj);
    const expectedApiVersion = apiVersionOf(r);
    if (obj.apiVersion !== undefined && obj.apiVersion !== expectedApiVersion) {
      throw badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${expectedApiVersion})`);
    }
    if (obj.kind !== undefined && obj.kind !== r.kind) {
      throw badRequest(`the kind in the data (${String(obj.kind)}) does not match the expected kind (${r.kind})`);
    }
    if (obj.metadata !== undefined && !isPlainObject(obj.metadata)) throw badRequest('metadata must be an object');
    const m: ObjectMeta = { ...(obj.metadata ?? {}) };
    if (r.namespaced) {
      if (m.namespace !== undefined && m.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      this.assertNamespace(namespace!, true, r);
    }

    let name = m.name;
    const displayName = name ?? m.generateName ?? '';
    if (!name) {
      if (!m.generateName) {
        throw invalid(r, '', [{ field: 'metadata.name', message: 'Required value: name or generateName is required', reason: 'FieldValueRequired' }]);
      }
      name = generateName(m.generateName);
      for (let tries = 0; this.entries.has(this.key(r, namespace, name)) && tries < 8; tries++) {
        name = generateName(m.generateName);
      }
    }
    const errors = [...nameErrors(r, name), ...metadataErrors(m), ...typeErrors(r, obj)];
    if (errors.length) throw invalid(r, displayName, errors);
    if (this.entries.has(this.key(r, namespace, name))) throw alreadyExists(r, name);

    delete m.deletionTimestamp;
    delete m.deletionGracePeriodSeconds;
    delete m.selfLink;
    delete m.managedFields;
    const stored: KubeObject = {
      ...obj,
      apiVersion: expectedApiVersion,
      kind: r.kind,
      metadata: {
        ...m,
        name,
        ...(r.namespaced ? { namespace } : {}),
        uid: randomUUID(),
        resourceVersion: this.nextResourceVersion(),
        generation: 1,
        creationTimestamp: timestamp(this.clock()),
      },
    };
    if (!r.namespaced) delete meta(stored).namespace;
    if (r.statusSubresource && r !== namespaceResource) delete stored.status;
    if (r === namespaceResource) {
      stored.status = { phase: 'Active' };
      labelNamespaceName(stored, name);
    }
    this.entries.set(this.key(r, namespace, name), { resource: r, object: stored });
    this.emit('ADDED', r, stored);
    return jsonClone(stored);
  }

  /**
   * Replaces an object with `incoming` (already patched by the caller, or a PUT body),
   * keeping system-owned metadata. Returns the stored object (or the last state before
   * removal when the write dropped the last finalizer of an object being deleted).
   */
  update(r: ResourceDefinition, namespace: string | undefined, name: string, incoming: unknown, options: UpdateOptions = {}): KubeObject {
    const entryKey = this.key(r, namespace, name);
    const entry = this.entries.get(entryKey);
    if (!entry) throw notFound(r, name);
    const current = entry.object;
    const cm = meta(current);
    if (!isPlainObject(incoming)) throw badRequest('the request body must be a JSON object');
    const inc = jsonClone(incoming) as KubeObject;
    if (inc.metadata !== undefined && !isPlainObject(inc.metadata)) throw badRequest('metadata must be an object');
    const im: ObjectMeta = { ...(inc.metadata ?? {}) };

    if (im.resourceVersion !== undefined && im.resourceVersion !== '' && im.resourceVersion !== cm.resourceVersion) {
      throw conflict(r, name, STALE_OBJECT);
    }
    if (options.requireResourceVersion && !im.resourceVersion) {
      throw invalid(r, name, [{ field: 'metadata.resourceVersion', message: 'Invalid value: 0x0: must be specified for an update' }]);
    }
    if (im.name !== undefined && im.name !== name) {
      throw invalid(r, name, [{ field: 'metadata.name', message: `Invalid value: ${JSON.stringify(im.name)}: field is immutable` }]);
    }
    if (r.namespaced && im.namespace !== undefined && im.namespace !== namespace) {
      throw invalid(r, name, [{ field: 'metadata.namespace', message: `Invalid value: ${JSON.stringify(im.namespace)}: field is immutable` }]);
    }
    if (inc.apiVersion !== undefined && inc.apiVersion !== apiVersionOf(r)) {
      throw badRequest(`the API version in the data (${String(inc.apiVersion)}) does not match the expected API version (${apiVersionOf(r)})`);
    }
    if (inc.kind !== undefined && inc.kind !== r.kind) {
      throw badRequest(`the kind in the data (${String(inc.kind)}) does not match the expected kind (${r.kind})`);
    }

    let next: KubeObject;
    if (options.subresource === 'status') {
      next = jsonClone(current);
      if (inc.status === undefined) delete next.status;
      else next.status = inc.status;
    } else {
      next = { ...inc, metadata: im };
      r.applyDefaults?.(next);
      if (r.statusSubresource) {
        if (current.status === undefined) delete next.status;
        else next.status = jsonClone(current.status);
      }
      const errors = [...metadataErrors(im), ...typeErrors(r, inc)];
      if (errors.length) throw invalid(r, name, errors);
      if (cm.deletionTimestamp) {
        const added = (im.finalizers ?? []).filter(f => !(cm.finalizers ?? []).includes(f));
        if (added.length) {
          throw invalid(r, name, [{ field: 'metadata.finalizers', message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`, reason: 'FieldValueForbidden' }]);
        }
      }
    }

    const nm = meta(next);
    next.apiVersion = apiVersionOf(r);
    next.kind = r.kind;
    nm.name = name;
    if (r.namespaced) nm.namespace = namespace;
    for (const k of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'resourceVersion'] as const) {
      if (cm[k] === undefined) delete nm[k];
      else (nm as Record<string, unknown>)[k] = cm[k];
    }
    if (nm.finalizers && nm.finalizers.length === 0) delete nm.finalizers;
    next.metadata = nm;
    if (r === namespaceResource) labelNamespaceName(next, name);

    if (jsonEqual(next, current)) return jsonClone(current);

    const specChanged = Object.keys({ ...current, ...next }).some(
      k => k !== 'metadata' && k !== 'status' && !jsonEqual(current[k], next[k]),
    );
    if (specChanged) nm.generation = (cm.generation ?? 1) + 1;
    nm.resourceVersion = this.nextResourceVersion();
    entry.object = next;
    this.emit('MODIFIED', r, next, current);
    if (nm.deletionTimestamp && !(nm.finalizers ?? []).length) this.remove(entryKey, 'Background');
    return jsonClone(next);
  }

  delete(r: ResourceDefinition, namespace: string | undefined, name: string, options: DeleteOptions = {}): DeleteResult {
    const entryKey = this.key(r, namespace, name);
    const entry = this.entries.get(entryKey);
    if (!entry) throw notFound(r, name);
    const m = meta(entry.object);
    const pre = options.preconditions ?? {};
    if (pre.uid && pre.uid !== m.uid) {
      throw conflict(r, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${m.uid}`);
    }
    if (pre.resourceVersion && pre.resourceVersion !== m.resourceVersion) {
      throw conflict(r, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${m.resourceVersion}`);
    }

    if (r === namespaceResource) return this.deleteNamespace(entry);

    if ((m.finalizers ?? []).length > 0) {
      if (!m.deletionTimestamp) {
        const previous = jsonClone(entry.object);
        m.deletionTimestamp = timestamp(this.clock());
        m.deletionGracePeriodSeconds = 0;
        m.resourceVersion = this.nextResourceVersion();
        this.emit('MODIFIED', r, entry.object, previous);
      }
      return { kind: 'pending', object: jsonClone(entry.object) };
    }
    const removed = this.remove(entryKey, options.propagationPolicy ?? 'Background');
    return { kind: 'deleted', status: successStatus({ name, group: r.group, kind: r.plural, uid: m.uid }), object: removed };
  }

  private deleteNamespace(entry: Entry): DeleteResult {
    const m = meta(entry.object);
    if (!m.deletionTimestamp) {
      const previous = jsonClone(entry.object);
      m.deletionTimestamp = timestamp(this.clock());
      entry.object.status = { phase: 'Terminating' };
      m.resourceVersion = this.nextResourceVersion();
      this.emit('MODIFIED', entry.resource, entry.object, previous);
    }
    const snapshot = jsonClone(entry.object);
    for (const e of [...this.entries.values()]) {
      const em = meta(e.object);
      if (e.resource.namespaced && em.namespace === m.name && !em.deletionTimestamp) {
        this.delete(e.resource, em.namespace, em.name!);
      }
    }
    this.finishNamespaceIfEmpty(m.name!);
    return { kind: 'pending', object: snapshot };
  }

  private finishNamespaceIfEmpty(namespace: string): void {
    const nsKey = this.key(namespaceResource, undefined, namespace);
    const ns = this.entries.get(nsKey);
    if (!ns || !meta(ns.object).deletionTimestamp) return;
    const remaining = [...this.entries.values()].some(e => e.resource.namespaced && meta(e.object).namespace === namespace);
    if (!remaining) this.remove(nsKey, 'Background');
  }

  /** Drops an object for good, then runs garbage collection for its dependents. */
  private remove(entryKey: string, policy: NonNullable<DeleteOptions['propagationPolicy']>): KubeObject {
    const entry = this.entries.get(entryKey)!;
    this.entries.delete(entryKey);
    const m = meta(entry.object);
    // As in etcd, the deletion is a revision of its own; the DELETED event's object carries it.
    const gone = jsonClone(entry.object);
    meta(gone).resourceVersion = this.nextResourceVersion();
    this.emit('DELETED', entry.resource, gone, entry.object);
    if (policy === 'Orphan') this.orphanDependents(m.uid!);
    else this.collectGarbage(m.uid!);
    if (entry.resource.namespaced && m.namespace) this.finishNamespaceIfEmpty(m.namespace);
    return jsonClone(entry.object);
  }

  private dependentsOf(uid: string): Entry[] {
    return [...this.entries.values()].filter(e => (meta(e.object).ownerReferences ?? []).some(ref => ref.uid === uid));
  }

  private collectGarbage(ownerUid: string): void {
    const liveUids = new Set([...this.entries.values()].map(e => meta(e.object).uid));
    for (const dep of this.dependentsOf(ownerUid)) {
      const dm = meta(dep.object);
      const hasLiveOwner = (dm.ownerReferences ?? []).some(ref => liveUids.has(ref.uid));
      if (!hasLiveOwner && this.entries.has(this.key(dep.resource, dm.namespace, dm.name!)) && !dm.deletionTimestamp) {
        this.delete(dep.resource, dm.namespace, dm.name!);
      }
    }
  }

  private orphanDependents(ownerUid: string): void {
    for (const dep of this.dependentsOf(ownerUid)) {
      const dm = meta(dep.object);
      const previous = jsonClone(dep.object);
      const refs = (dm.ownerReferences ?? []).filter(ref => ref.uid !== ownerUid);
      if (refs.length) dm.ownerReferences = refs;
      else delete dm.ownerReferences;
      dm.resourceVersion = this.nextResourceVersion();
      this.emit('MODIFIED', dep.resource, dep.object, previous);
    }
  }
}

/**
 * The API server's NamespaceDefaultLabelName admission (GA in Kubernetes 1.22): every Namespace
 * carries `kubernetes.io/metadata.name: <its name>`, set again on each write.
 */
function labelNamespaceName(obj: KubeObject, name: string): void {
  const m = meta(obj);
  m.labels = { ...(m.labels ?? {}), 'kubernetes.io/metadata.name': name };
}
