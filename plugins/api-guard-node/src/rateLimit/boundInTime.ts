import { ServiceUnavailableError } from '@backstage/errors';

/**
 * Runs a rate-limit store operation within `timeoutMs`, or fails it with a 503. A reply that
 * arrived while the event loop was busy is read before the timeout is declared, and the
 * operation is never retried, so one that Redis ran is never counted twice.
 */
export function boundInTime<T>(operation: () => Promise<T> | T, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      // Let pending I/O (a reply already in the socket) run once before giving up.
      setImmediate(() => {
        if (settled) return;
        settled = true;
        reject(new ServiceUnavailableError('Rate limit store did not answer in time'));
      });
    }, timeoutMs);
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
