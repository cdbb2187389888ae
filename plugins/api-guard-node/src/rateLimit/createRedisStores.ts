import { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { RedisStore } from 'rate-limit-redis';
import { createClient } from 'redis';
import { TimeBoundStore } from './TimeBoundStore';

export interface RedisStores {
  user: TimeBoundStore;
  service: TimeBoundStore;
  unauthenticated: TimeBoundStore;
  /** Resolves once connected, or false after the connect timeout while Redis cannot be reached. */
  whenConnected(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * One Redis connection shared by every budget. Commands fail fast while the connection is
 * down (no offline queue) and each store operation times out after `commandTimeoutMs`
 * (TimeBoundStore), so a dead or slow Redis turns into a bounded 503 rather than a hanging
 * request.
 */
export function createRedisStores(options: {
  connection: string;
  prefix: string;
  commandTimeoutMs: number;
  logger: LoggerService;
}): RedisStores {
  const { connection, prefix, commandTimeoutMs, logger } = options;
  const connectTimeoutMs = Math.max(commandTimeoutMs, 1000);
  const client = createClient({
    url: connection,
    disableOfflineQueue: true,
    // Operations abandoned on timeout leave their commands queued until Redis answers or the
    // connection drops; past this many, new commands fail at once instead of piling up.
    commandsQueueMaxLength: 10_000,
    socket: {
      connectTimeout: connectTimeoutMs,
      reconnectStrategy: retries => Math.min(100 * 2 ** retries, 5000),
    },
  });

  let lastLoggedAt = 0;
  client.on('error', (error: Error) => {
    // Reconnect attempts raise an error each; one line every 30 s is enough.
    if (Date.now() - lastLoggedAt > 30_000) {
      lastLoggedAt = Date.now();
      logger.warn(`Rate-limit Redis store unavailable: ${error.message}`);
    }
  });
  client.on('ready', () => logger.info('Rate-limit Redis store connected'));
  client.connect().catch(() => {
    // Failures are reported by the 'error' listener; the client keeps reconnecting.
  });

  const sendCommand = async (...args: string[]): Promise<any> => {
    try {
      return await client.sendCommand(args);
    } catch {
      throw new ServiceUnavailableError('Rate limit store is unavailable');
    }
  };

  const createStore = (kind: string) => {
    const store = new RedisStore({ sendCommand, prefix: `${prefix}${kind}:` });
    // The store loads its Lua scripts eagerly and retries on first use; keep a failed
    // eager load (Redis down at start-up) from surfacing as an unhandled rejection.
    (store as any).incrementScriptSha?.catch?.(() => {});
    (store as any).getScriptSha?.catch?.(() => {});
    return new TimeBoundStore(store, commandTimeoutMs);
  };

  return {
    user: createStore('user'),
    service: createStore('service'),
    unauthenticated: createStore('unauthenticated'),
    whenConnected() {
      if (client.isReady) return Promise.resolve(true);
      return new Promise(resolve => {
        const timer = setTimeout(() => {
          client.off('ready', onReady);
          resolve(false);
        }, connectTimeoutMs);
        const onReady = () => {
          clearTimeout(timer);
          resolve(true);
        };
        client.once('ready', onReady);
      });
    },
    async close() {
      if (client.isOpen) {
        client.destroy();
      }
    },
  };
}
