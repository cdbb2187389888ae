import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

/** TLS settings that make two agents interchangeable. */
const TLS_OPTIONS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;
/** Distinct TLS settings kept; more means credentials keep changing, so stop caching. */
const MAX_AGENTS = 8;
/**
 * Idle connections are closed after this, before API servers and load balancers usually drop
 * them (60 s and more), so a request rarely lands on a connection the server is closing.
 */
const IDLE_SOCKET_TIMEOUT_MS = 30_000;

/**
 * `@kubernetes/client-node` (1.x) builds a fresh `http(s).Agent` for every request, so every
 * call opens a new connection to the API server (a TLS handshake on a real cluster). This
 * swaps that agent for a keep-alive one with the same TLS settings, shared by all calls, so
 * connections are reused. Proxy agents (any other class) are left alone.
 */
export class KeepAliveAgents {
  private readonly agents = new Map<string, http.Agent>();

  /** The shared keep-alive agent equivalent to `agent`, or `agent` itself when it cannot be shared. */
  reuse<T>(agent: T): T {
    const type = (agent as { constructor?: unknown } | undefined)?.constructor;
    if (type !== https.Agent && type !== http.Agent) return agent;
    const Ctor = type as typeof http.Agent;
    const options: Record<string, unknown> = (agent as { options?: Record<string, unknown> }).options ?? {};
    const key = fingerprint(type === https.Agent ? 'https' : 'http', options);
    if (key === undefined) return agent;
    let shared = this.agents.get(key);
    if (!shared) {
      if (this.agents.size >= MAX_AGENTS) return agent;
      const tls = Object.fromEntries(TLS_OPTIONS.filter(k => options[k] !== undefined).map(k => [k, options[k]]));
      shared = new Ctor({ ...tls, keepAlive: true, timeout: IDLE_SOCKET_TIMEOUT_MS });
      this.agents.set(key, shared);
    }
    return shared as T;
  }
}

/** A digest of the TLS settings; undefined when one has a form this does not know. */
function fingerprint(protocol: string, options: Record<string, unknown>): string | undefined {
  const hash = createHash('sha256').update(protocol);
  for (const name of TLS_OPTIONS) {
    const value = options[name];
    hash.update(`\0${name}=`);
    if (value === undefined) continue;
    for (const part of Array.isArray(value) ? value : [value]) {
      if (Buffer.isBuffer(part)) hash.update(part);
      else if (['string', 'boolean', 'number'].includes(typeof part)) hash.update(String(part));
      else return undefined;
      hash.update('\0');
    }
  }
  return hash.digest('hex');
}
