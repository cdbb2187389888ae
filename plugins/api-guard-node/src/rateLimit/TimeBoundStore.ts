import { ServiceUnavailableError } from '@backstage/errors';
import { IncrementResponse, Options, Store } from 'express-rate-limit';

/**
 * Bounds every call of a remote rate-limit store in time: a store that does not answer within
 * `timeoutMs` fails the call with a 503 (or lets it through with `onStoreError: allow`).
 *
 * The bound sits here, around the store's whole operation, rather than around each Redis
 * command: rate-limit-redis retries an increment after any failed command (to reload its Lua
 * script after a Redis restart), so a command abandoned on timeout that Redis still ran would
 * charge the caller twice. And a reply that arrived while the event loop was busy is read
 * before the timeout is declared, so a saturated process does not refuse requests that its
 * store answered in time.
 */
export class TimeBoundStore implements Store {
  readonly localKeys = false;

  constructor(
    private readonly store: Store,
    private readonly timeoutMs: number,
  ) {}

  get prefix() {
    return this.store.prefix;
  }

  init(options: Options) {
    return this.store.init?.(options);
  }

  increment(key: string): Promise<IncrementResponse> {
    return this.bounded(() => this.store.increment(key));
  }

  decrement(key: string): Promise<void> {
    return this.bounded(() => this.store.decrement(key));
  }

  resetKey(key: string): Promise<void> {
    return this.bounded(() => this.store.resetKey(key));
  }

  private bounded<T>(operation: () => Promise<T> | T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        // Let pending I/O (a reply already in the socket) run once before giving up.
        setImmediate(() => {
          if (settled) return;
          settled = true;
          reject(new ServiceUnavailableError('Rate limit store did not answer in time'));
        });
      }, this.timeoutMs);
      Promise.resolve()
        .then(operation)
        .then(
          value => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            resolve(value);
          },
          error => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            reject(error);
          },
        );
    });
  }
}
