/**
 * `?watch=1` on list paths, with the API server's semantics: newline-delimited JSON events
 * (ADDED, MODIFIED, DELETED, BOOKMARK, ERROR); without a resourceVersion (or with "0") the
 * current objects first as ADDED, from a resourceVersion only the later changes, and an
 * ERROR 410 Expired when those were compacted away; label/field selectors applied to both
 * states of a change (leaving the selection is a DELETED, entering it an ADDED);
 * `allowWatchBookmarks` and `timeoutSeconds`.
 */
import { ServerResponse } from 'node:http';
import { LabelSelector, matchesLabelSelector, parseLabelSelector } from '../labelSelector';
import { apiVersionOf, KubeObject, ResourceDefinition } from '../resources';
import { ObjectStore, StoreEvent } from '../store/ObjectStore';
import { badRequest, KubeStatus } from '../status';
import { fieldFilter } from './handleResource';

export interface WatchOptions {
  /** How often a watch with `allowWatchBookmarks=true` gets a BOOKMARK (default 10 s). */
  bookmarkIntervalMs?: number;
  /** How long a watch without `timeoutSeconds` stays open (default 30 min, the API server's minimum request timeout). */
  defaultTimeoutMs?: number;
  /** Delays every event on every watch by this long, in order (a lagging watch cache); default 0. */
  eventDelayMs?: number;
}

export interface WatchRequest {
  resource: ResourceDefinition;
  namespace?: string;
  query: URLSearchParams;
}

/** What a request to open a watch is matched against (faults end the open watches they match). */
export interface OpenWatch {
  path: string;
  end(): void;
}

type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export function isWatchRequest(query: URLSearchParams): boolean {
  const watch = query.get('watch');
  return watch === 'true' || watch === '1';
}

function expiredStatus(requested: number, oldest: number): KubeStatus {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `too old resource version: ${requested} (${oldest})`,
    reason: 'Expired',
    code: 410,
  };
}

function parseTimeoutSeconds(value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw badRequest(`invalid timeoutSeconds "${value}": must be a non-negative integer`);
  return Number(value);
}

function parseResourceVersion(value: string | null): number | undefined {
  if (value === null || value === '' || value === '0') return undefined;
  if (!/^\d+$/.test(value)) throw badRequest(`invalid resource version "${value}"`);
  return Number(value);
}

/** The open watch streams of one server. */
export class WatchHub {
  private readonly open = new Set<OpenWatch>();
  private readonly bookmarkIntervalMs: number;
  private readonly defaultTimeoutMs: number;
  /** See WatchOptions.eventDelayMs; may be changed while watches are open. */
  eventDelayMs: number;

  constructor(
    private readonly store: ObjectStore,
    options: WatchOptions = {},
  ) {
    this.bookmarkIntervalMs = options.bookmarkIntervalMs ?? 10_000;
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? 30 * 60_000;
    this.eventDelayMs = options.eventDelayMs ?? 0;
  }

  /** How many watches are open now. */
  get size(): number {
    return this.open.size;
  }

  /** Ends the open watches for which `predicate` holds (all by default), as a restarting API server would. */
  end(predicate: (watch: OpenWatch) => boolean = () => true): number {
    let ended = 0;
    for (const w of [...this.open]) {
      if (!predicate(w)) continue;
      w.end();
      ended += 1;
    }
    return ended;
  }

  /** Validates the query (throws a 400 KubeStatusError before anything is sent), then streams. */
  serve(res: ServerResponse, path: string, req: WatchRequest): void {
    const { resource: r, namespace, query } = req;
    const selector: LabelSelector = parseLabelSelector(query.get('labelSelector') ?? '');
    const byField = fieldFilter(query.get('fieldSelector'));
    const timeoutSeconds = parseTimeoutSeconds(query.get('timeoutSeconds'));
    const from = parseResourceVersion(query.get('resourceVersion'));
    const bookmarks = query.get('allowWatchBookmarks') === 'true' || query.get('allowWatchBookmarks') === '1';

    const selects = (o: KubeObject | undefined): boolean =>
      !!o &&
      (namespace === undefined || !r.namespaced || o.metadata?.namespace === namespace) &&
      matchesLabelSelector(selector, o.metadata?.labels) &&
      byField(o);
    const sameResource = (e: StoreEvent) =>
      e.resource === r || (e.resource.group === r.group && e.resource.plural === r.plural);

    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    let ended = false;
    const timers = new Set<NodeJS.Timeout>();
    const write = (type: WatchEventType, object: unknown) => {
      const line = `${JSON.stringify({ type, object })}\n`;
      const delay = this.eventDelayMs;
      if (delay <= 0) {
        if (!ended && !res.destroyed) res.write(line);
        return;
      }
      const t = setTimeout(() => {
        timers.delete(t);
        if (!ended && !res.destroyed) res.write(line);
      }, delay);
      timers.add(t);
    };
    const bookmark = () =>
      write('BOOKMARK', { kind: r.kind, apiVersion: apiVersionOf(r), metadata: { resourceVersion: this.store.resourceVersion() } });
    const send = (e: StoreEvent) => {
      if (!sameResource(e)) return;
      const now = e.type !== 'DELETED' && selects(e.object);
      const before = e.type !== 'ADDED' && selects(e.previous ?? e.object);
      if (e.type === 'DELETED') {
        if (before) write('DELETED', e.object);
      } else if (now && (e.type === 'ADDED' || !before)) {
        write('ADDED', e.object);
      } else if (now) {
        write('MODIFIED', e.object);
      } else if (before) {
        // Left the selection: the watcher sees it go, with the change's resourceVersion.
        write('DELETED', { ...e.previous, metadata: { ...e.previous!.metadata, resourceVersion: String(e.revision) } });
      }
    };

    let unsubscribe = () => {};
    const entry: OpenWatch = { path, end: () => {} };
    const finish = () => {
      ended = true;
      unsubscribe();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      this.open.delete(entry);
    };
    entry.end = () => {
      if (ended) return;
      if (bookmarks && !res.destroyed) bookmark();
      finish();
      res.end();
    };
    res.on('close', finish);

    if (from === undefined) {
      for (const o of this.store.list(r, namespace)) if (selects(o)) write('ADDED', o);
    } else {
      const since = this.store.eventsSince(from);
      if (since.kind === 'expired') {
        write('ERROR', expiredStatus(from, since.oldest));
        finish();
        res.end();
        return;
      }
      for (const e of since.events) send(e);
    }
    // Synchronous with the snapshot above: no change can fall between them.
    unsubscribe = this.store.subscribe(send);
    this.open.add(entry);

    const timeoutMs = timeoutSeconds !== undefined && timeoutSeconds > 0 ? timeoutSeconds * 1000 : this.defaultTimeoutMs;
    timers.add(setTimeout(() => entry.end(), timeoutMs));
    if (bookmarks) {
      const every = setInterval(bookmark, this.bookmarkIntervalMs);
      timers.add(every);
    }
  }
}
