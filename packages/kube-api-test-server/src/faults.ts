/** Fault injection: error Status answers, latency and refused connections, optionally targeted and limited. */

export interface FaultMatch {
  method?: string;
  /** Tested against the request path (without the query string). */
  path?: RegExp | string;
  /** true: only watch requests (`?watch=1`); false: only the others. */
  watch?: boolean;
}

export interface Fault {
  /** Answer matching requests with a Status of this HTTP code (reason derived from the code). */
  status?: number;
  /** Overrides the Status message. */
  message?: string;
  /** Delay matching requests by this many milliseconds before answering. */
  latencyMs?: number;
  /**
   * Refuse connections. Without `match`/`times` the server stops listening (clients see
   * ECONNREFUSED) and open sockets are destroyed; with them, matching requests have their
   * socket destroyed (clients see a reset / socket hang up).
   *
   * Setting any fault also ends the open watches it matches (a failing API server drops them),
   * so the clients' re-watch meets the fault.
   */
  refuseConnections?: boolean;
  /** How many matching requests the fault applies to; unlimited when omitted. */
  times?: number;
  match?: FaultMatch;
}

export interface RequestFacts {
  method: string;
  path: string;
  watch?: boolean;
}

export interface FaultDecision {
  latencyMs: number;
  status?: { code: number; message?: string };
  destroySocket: boolean;
}

/** Whether `fault` applies to a request like `req`. */
export function faultMatches(fault: Fault, req: RequestFacts): boolean {
  const m = fault.match;
  if (!m) return true;
  if (m.watch !== undefined && m.watch !== (req.watch === true)) return false;
  if (m.method && m.method.toUpperCase() !== req.method.toUpperCase()) return false;
  if (m.path !== undefined) {
    if (typeof m.path === 'string' ? !req.path.includes(m.path) : !m.path.test(req.path)) return false;
  }
  return true;
}

/** Whether a fault makes the whole server unreachable (listener closed). */
export function isServerDownFault(fault: Fault): boolean {
  return fault.refuseConnections === true && !fault.match && fault.times === undefined;
}

export class FaultInjector {
  private active: Fault[] = [];
  private readonly onChange: (added?: Fault) => void;

  /** `onChange` is told of every change, with the fault that was set or added. */
  constructor(onChange: (added?: Fault) => void = () => {}) {
    this.onChange = onChange;
  }

  /** Replaces all active faults with this one. */
  set(fault: Fault): void {
    this.active = [{ ...fault }];
    this.onChange(fault);
  }

  /** Adds a fault next to the active ones (the first matching status/refuse fault wins). */
  add(fault: Fault): void {
    this.active.push({ ...fault });
    this.onChange(fault);
  }

  clear(): void {
    this.active = [];
    this.onChange();
  }

  list(): Fault[] {
    return this.active.map(f => ({ ...f }));
  }

  serverDown(): boolean {
    return this.active.some(isServerDownFault);
  }

  /** Decides what happens to one request and consumes `times` of the faults that applied. */
  decide(req: RequestFacts): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, destroySocket: false };
    for (const fault of this.active) {
      if (!faultMatches(fault, req)) continue;
      let applied = false;
      if (fault.latencyMs) {
        decision.latencyMs = Math.max(decision.latencyMs, fault.latencyMs);
        applied = true;
      }
      if (fault.refuseConnections && !decision.status && !decision.destroySocket) {
        decision.destroySocket = true;
        applied = true;
      } else if (fault.status && !decision.status && !decision.destroySocket) {
        decision.status = { code: fault.status, message: fault.message };
        applied = true;
      }
      if (applied && fault.times !== undefined) fault.times -= 1;
    }
    this.active = this.active.filter(f => f.times === undefined || f.times > 0);
    return decision;
  }
}
