import { ServiceUnavailableError } from '@backstage/errors';
import { TooManyRequestsError } from '@fawkes/plugin-api-guard-node';

/** A refusal carries how long to wait, for the `Retry-After` header. */
export type LimitError = Error & { retryAfterSeconds: number };

export interface RegistrationLimits {
  /** Registrations and dry runs in progress at once, across all callers. */
  maxConcurrent: number;
  /** Registrations and dry runs in progress at once for one caller. */
  maxConcurrentPerCaller: number;
  /**
   * Longest a slot stays held for a call the caller was already answered for (the catalog
   * client cannot be cancelled, and a hung catalog must not take the slots for good).
   */
  maxHoldMs: number;
}

/**
 * Caps the registrations and dry runs in progress (reading, validating and the catalog's own
 * processing are all CPU- and database-heavy), per caller (429) and in total (503), so that one
 * caller's large files cannot stall the catalog for everyone. A slot is held until the work
 * really ends, even when the caller was already answered with a timeout. Per backend process.
 */
export class RegistrationLimiter {
  private active = 0;
  private readonly perCaller = new Map<string, number>();
  /** Moving average of how long the work takes, for Retry-After. */
  private averageMs = 2000;

  constructor(private readonly limits: RegistrationLimits) {}

  async run<T>(caller: string, work: () => Promise<T>): Promise<T> {
    const mine = this.perCaller.get(caller) ?? 0;
    if (mine >= this.limits.maxConcurrentPerCaller) {
      throw this.refusal(
        new TooManyRequestsError(
          `Too many registrations in progress for this caller (at most ${this.limits.maxConcurrentPerCaller} at a time); retry when one has finished`,
        ),
      );
    }
    if (this.active >= this.limits.maxConcurrent) {
      throw this.refusal(
        new ServiceUnavailableError(
          `Too many registrations in progress (at most ${this.limits.maxConcurrent} at a time); retry shortly`,
        ),
      );
    }
    this.active++;
    this.perCaller.set(caller, mine + 1);
    const started = Date.now();
    const release = () => {
      this.active--;
      const left = (this.perCaller.get(caller) ?? 1) - 1;
      if (left > 0) this.perCaller.set(caller, left);
      else this.perCaller.delete(caller);
      this.averageMs = 0.8 * this.averageMs + 0.2 * (Date.now() - started);
    };
    let result: T;
    try {
      result = await work();
    } catch (error) {
      // The caller got a timeout, but the catalog is still busy with the call: keep the slot.
      const stillRunning = (error as { stillRunning?: Promise<unknown> })?.stillRunning;
      if (stillRunning) {
        let timer: NodeJS.Timeout | undefined;
        const held = new Promise(resolve => {
          timer = setTimeout(resolve, this.limits.maxHoldMs);
          timer.unref();
        });
        Promise.race([stillRunning, held]).then(() => {
          clearTimeout(timer);
          release();
        });
      } else {
        release();
      }
      throw error;
    }
    release();
    return result;
  }

  private refusal(error: Error): LimitError {
    return Object.assign(error, { retryAfterSeconds: Math.max(1, Math.ceil(this.averageMs / 1000)) });
  }
}
