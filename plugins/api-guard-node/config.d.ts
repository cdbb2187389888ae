import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Shared request guard of the Fawkes plugins (@fawkes/plugin-api-guard-node). */
  apiGuard?: {
    /** Largest accepted JSON request body, in bytes or with a unit ("100kb"). Default 100kb. */
    maxBodySize?: string | number;
    rateLimit?: {
      /** Length of one rate-limit window. Default 1 minute. */
      window?: HumanDuration | string;
      /** Budget per user entity ref and window. Default 100. */
      user?: { limit?: number };
      /** Budget per service principal (token subject) and window. Default 1000. */
      service?: { limit?: number };
      /**
       * Budget per client address and window for requests that fail authentication (no, invalid
       * or expired token); past it they answer 429 instead of 401. The address is the request's
       * `req.ip`, so behind a proxy set Backstage's `backend.trustProxy`, else every caller
       * behind it shares one budget. IPv6 addresses are grouped by /56. Default 60.
       */
      unauthenticated?: { limit?: number };
      /**
       * Where counters live. Default: memory, unless `backend.cache` is a Redis store,
       * whose connection is then reused so that every replica shares one budget.
       */
      store?:
        | { type: 'memory' }
        | {
            type: 'redis';
            /**
             * redis:// or rediss:// URL.
             * @visibility secret
             */
            connection: string;
            /** Key prefix. Default "fawkes:api-guard:". */
            prefix?: string;
            /** Longest a rate-limit store operation may take before the request fails. Default 2 s. */
            commandTimeout?: HumanDuration | string;
          };
      /**
       * What happens to a request when the store cannot answer (Redis down or slow):
       * "deny" answers 503 (default), "allow" lets the request through without counting it.
       */
      onStoreError?: 'deny' | 'allow';
    };
  };
}
