import { LoggerService } from '@backstage/backend-plugin-api';
import { createClient } from 'redis';

export type RateLimitRedisClient = ReturnType<typeof createClient>;

export interface RedisConnection {
  client: RateLimitRedisClient;
  /** Resolves once connected, or false after the connect timeout while Redis cannot be reached. */
  whenConnected(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * The guard's one Redis connection, shared by every budget. Commands fail fast while the
 * connection is down (no offline queue); the client reconnects in the background.
 */
export function createRedisConnection(options: {
  connection: string;
  commandTimeoutMs: number;
  logger: LoggerService;
}): RedisConnection {
  const { connection, commandTimeoutMs, logger } = options;
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

  return {
    client,
    whenConnected() {
      if (client.isReady) return Promise.resolve(true);
      return new Promise(resolve => {
        let timer: NodeJS.Timeout | undefined = undefined;
        const onReady = () => {
          clearTimeout(timer);
          resolve(true);
        };
        timer = setTimeout(() => {
          client.off('ready', onReady);
          resolve(false);
        }, connectTimeoutMs);
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
