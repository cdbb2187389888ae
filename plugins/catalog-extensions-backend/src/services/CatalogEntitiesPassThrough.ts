import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { GatewayTimeoutError } from '@fawkes/plugin-api-guard-node';
import { Response } from 'express';
import http, { IncomingMessage } from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream/promises';
import { toCatalogError } from './catalogErrors';
import { ChunkCoalescer } from './ChunkCoalescer';
import { EntitiesQuery } from './entityQuery';
import { PluginTokenCache } from './PluginTokenCache';

const ACTION = 'read catalog entities';
/** Most of an error answer read, to take its message. */
const MAX_ERROR_BODY = 64 * 1024;

/**
 * Answers `GET /entities` by streaming the core catalog's own `GET /entities` answer through:
 * the catalog runs its query as the caller (a token issued on the caller's behalf, so its
 * permissions apply) and writes the stored entities as one JSON array, which is passed on
 * byte for byte, uncompressed, with back-pressure. Failures before the first byte become the
 * usual error answers; after it the connection is cut, so a client sees a broken array rather
 * than a silently short one.
 */
export class CatalogEntitiesPassThrough {
  private readonly agents = {
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true }),
  };

  private readonly tokens: PluginTokenCache;

  constructor(
    private readonly discovery: DiscoveryService,
    auth: AuthService,
    private readonly logger: LoggerService,
    /** Longest the catalog may take to start answering (catalogExtensions.catalogTimeout). */
    private readonly timeoutMs: number,
  ) {
    this.tokens = new PluginTokenCache(auth, 'catalog');
  }

  /** Closes the kept-alive connections to the catalog (at backend shutdown). */
  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  async stream(query: EntitiesQuery, credentials: BackstageCredentials, res: Response): Promise<void> {
    const context = { action: ACTION, timeoutMs: this.timeoutMs };
    const token = await this.tokens.token(credentials);
    const url = new URL(`${await this.discovery.getBaseUrl('catalog')}/entities`);
    for (const filter of query.filter ?? []) url.searchParams.append('filter', filter);
    for (const fields of query.fields ?? []) url.searchParams.append('fields', fields);

    const upstream = await this.request(url, token, res);
    if (!upstream) return; // the caller went away
    if (upstream.statusCode !== 200) {
      throw toCatalogError(
        { statusCode: upstream.statusCode, body: await readErrorBody(upstream) },
        context,
      );
    }
    res.status(200).type('application/json');
    try {
      await pipeline(upstream, new ChunkCoalescer(), res);
    } catch (error) {
      if (!res.destroyed && !res.writableFinished) {
        this.logger.warn('GET /entities failed after the response started; connection closed', error as Error);
      }
      upstream.destroy();
      res.destroy();
    }
  }

  /** The catalog's answer once its headers are in, or undefined when the caller left first. */
  private request(url: URL, token: string, res: Response): Promise<IncomingMessage | undefined> {
    const context = { action: ACTION, timeoutMs: this.timeoutMs };
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = client.get(url, {
        agent: url.protocol === 'https:' ? this.agents.https : this.agents.http,
        // The body is passed on as it is: no compression to undo.
        headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'identity', accept: 'application/json' },
      });
      const timer = setTimeout(() => {
        reject(new GatewayTimeoutError(`The catalog did not answer within ${this.timeoutMs} ms (${ACTION})`));
        req.destroy();
      }, this.timeoutMs);
      const onClose = () => {
        clearTimeout(timer);
        req.destroy();
        resolve(undefined);
      };
      res.once('close', onClose);
      req.once('response', upstream => {
        clearTimeout(timer);
        res.off('close', onClose);
        res.once('close', () => upstream.destroy());
        resolve(upstream);
      });
      req.once('error', () => {
        clearTimeout(timer);
        res.off('close', onClose);
        // a network failure: no statusCode, so it maps to 503 "The catalog is unavailable"
        reject(toCatalogError(new Error('network'), context));
      });
    });
  }
}

async function readErrorBody(upstream: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of upstream) {
    text += chunk;
    if (text.length > MAX_ERROR_BODY) {
      upstream.destroy();
      break;
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
