import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import { median } from '../lib/median';
import { Report } from '../lib/report';

// The limiters as the packages that ship them resolve them: rate-limiter-flexible and redis as
// the guard depends on them, express-rate-limit and rate-limit-redis (the guard's limiter
// before) as @backstage/backend-defaults does.
const fromGuard = createRequire(require.resolve('@fawkes/plugin-api-guard-node/package.json'));
const fromBackendDefaults = createRequire(require.resolve('@backstage/backend-defaults/package.json'));
const { RateLimiterMemory, RateLimiterRedis } = fromGuard('rate-limiter-flexible') as typeof import('rate-limiter-flexible');
const { createClient } = fromGuard('redis') as typeof import('redis');
const { rateLimit } = fromBackendDefaults('express-rate-limit') as typeof import('express-rate-limit');
const { RedisStore } = fromBackendDefaults('rate-limit-redis') as typeof import('rate-limit-redis');
type RateLimiterRes = import('rate-limiter-flexible').RateLimiterRes;
type RedisStoreType = InstanceType<typeof RedisStore>;

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

interface Candidate {
  name: string;
  store: 'memory' | 'redis';
  middleware: Middleware;
}

const LIMIT = 1_000_000_000;
const WINDOW_SEC = 60;
const principal = 'user:development/guest';

/** The guard's headers from rate-limiter-flexible's state (as plugins/api-guard-node sets them). */
function flexible(
  name: string,
  store: Candidate['store'],
  limiter: InstanceType<typeof RateLimiterMemory> | InstanceType<typeof RateLimiterRedis>,
): Candidate {
  return {
    name,
    store,
    middleware: (_req, res, next) => {
      limiter.consume(principal).then(
        (state: RateLimiterRes) => {
          res.setHeader('X-RateLimit-Limit', String(LIMIT));
          res.setHeader('X-RateLimit-Remaining', String(state.remainingPoints));
          res.setHeader('X-RateLimit-Reset', String(Math.ceil((Date.now() + state.msBeforeNext) / 1000)));
          next();
        },
        next,
      );
    },
  };
}

/** express-rate-limit as the guard used it before (legacy X-RateLimit-* headers, key per principal). */
function express(name: string, store: Candidate['store'], redisStore?: RedisStoreType): Candidate {
  const middleware = rateLimit({
    windowMs: WINDOW_SEC * 1000,
    limit: LIMIT,
    store: redisStore,
    legacyHeaders: true,
    standardHeaders: false,
    keyGenerator: () => principal,
    validate: false,
  });
  return { name, store, middleware: middleware as unknown as Middleware };
}

/** One request through a middleware on real node:http request and response objects. */
function once(middleware: Middleware): Promise<void> {
  const req = new IncomingMessage(new Socket());
  req.method = 'GET';
  req.url = '/ping';
  const res = new ServerResponse(req);
  return new Promise((resolve, reject) => {
    middleware(req, res, error => {
      if (error) reject(error);
      else if (res.getHeader('X-RateLimit-Remaining') === undefined) reject(new Error('no X-RateLimit-Remaining'));
      else resolve();
    });
  });
}

/** CPU µs per request of `requests` requests, `inFlight` at a time (as a loaded backend has them). */
async function cpuPerRequest(middleware: Middleware, requests: number, inFlight: number): Promise<number> {
  const before = process.cpuUsage();
  let sent = 0;
  const worker = async () => {
    while (sent < requests) {
      sent += 1;
      await once(middleware);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / requests;
}

/**
 * The limiter candidates side by side in one process: express-rate-limit with its memory store
 * and with rate-limit-redis (the guard's limiter before), and rate-limiter-flexible with its memory
 * and Redis stores (the guard's limiter now), each wrapped the way the guard uses it (one key per
 * principal, the three X-RateLimit-* headers). Batches rotate through the candidates, so drift
 * from other load on the machine reaches all of them alike; each figure is the median of the
 * batches' CPU µs per request. The baseline is rate-limiter-flexible with the same store.
 */
export async function benchLimiterCandidates(
  report: Report,
  opts: { redisUrl: string; batches: number; requests: number; inFlight: number },
): Promise<void> {
  const redis = createClient({ url: opts.redisUrl });
  await redis.connect();
  const prefix = `bench:limiters:${randomUUID()}:`;
  try {
    const candidates: Candidate[] = [
      flexible('rate-limiter-flexible', 'memory', new RateLimiterMemory({ points: LIMIT, duration: WINDOW_SEC })),
      express('express-rate-limit', 'memory'),
      flexible(
        'rate-limiter-flexible',
        'redis',
        new RateLimiterRedis({ storeClient: redis, useRedisPackage: true, keyPrefix: `${prefix}rlf`, points: LIMIT, duration: WINDOW_SEC }),
      ),
      express(
        'express-rate-limit + rate-limit-redis',
        'redis',
        new RedisStore({ sendCommand: (...args: string[]) => redis.sendCommand(args), prefix: `${prefix}erl:` }),
      ),
    ];
    // The harness alone (request objects, promise, the three headers): subtracted from every figure.
    const harness: Candidate = {
      name: 'no limiter',
      store: 'memory',
      middleware: (_req, res, next) => {
        res.setHeader('X-RateLimit-Limit', String(LIMIT));
        res.setHeader('X-RateLimit-Remaining', String(LIMIT));
        res.setHeader('X-RateLimit-Reset', String(Math.ceil(Date.now() / 1000)));
        Promise.resolve().then(() => next());
      },
    };
    candidates.push(harness);
    const samples = new Map<Candidate, number[]>(candidates.map(c => [c, []]));
    // Warm-up: JIT, Lua scripts loaded, connections busy.
    for (const c of candidates) await cpuPerRequest(c.middleware, opts.requests, opts.inFlight);
    for (let batch = 0; batch < opts.batches; batch++) {
      const order = candidates.map((_, i) => candidates[(i + batch) % candidates.length]);
      for (const c of order) samples.get(c)!.push(await cpuPerRequest(c.middleware, opts.requests, opts.inFlight));
    }
    // Each batch's figure net of the harness measured in the same round.
    const net = (c: Candidate) => samples.get(c)!.map((us, i) => us - samples.get(harness)![i]);
    const harnessUs = median(samples.get(harness)!);
    for (const store of ['memory', 'redis'] as const) {
      const [ours, other] = candidates.filter(c => c.store === store && c !== harness);
      const value = median(samples.get(other)!);
      const baseline = median(samples.get(ours)!);
      report.add({
        benchmark: 'guard limiter candidates',
        measure: `CPU per request, ${other.name} vs ${ours.name} (the guard's), ${store} store, with the harness`,
        value,
        baseline,
        unit: 'µs CPU/request',
        ratio: value / baseline,
        target: 'the guard keeps the faster (ratio ≥ 1)',
        pass: value >= baseline,
        note:
          `medians of ${opts.batches} rotating batches of ${opts.requests} requests, ${opts.inFlight} in flight; the limiter alone ` +
          `(net of the harness, ${harnessUs.toFixed(1)} µs): ${other.name} ${median(net(other)).toFixed(1)} µs, ${ours.name} ${median(net(ours)).toFixed(1)} µs`,
      });
    }
    report.note(
      'guard limiter candidates: the two limiters in the bench process on real node:http request/response objects, ' +
        'each keyed per principal and writing the three X-RateLimit-* headers, net of the same harness without a limiter, the Redis candidates on one shared ' +
        `connection to the same Redis; ${opts.batches} batches in rotating order, CPU time of the process per request ` +
        '(Redis\'s own CPU not included). The guard uses rate-limiter-flexible; over two replicas it admits exactly the ' +
        'limit (rate-limit exactness below).',
    );
  } finally {
    await redis.quit().catch(() => undefined);
  }
}
