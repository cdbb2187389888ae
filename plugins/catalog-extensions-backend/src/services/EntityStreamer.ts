import { BackstageCredentials, LoggerService } from '@backstage/backend-plugin-api';
import { EntityFilterQuery } from '@backstage/catalog-client';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Response } from 'express';
import { callCatalog } from './catalogErrors';

/** Entities fetched from the catalog per round trip; also the most held in memory at once. */
const PAGE_SIZE = 500;

/**
 * Answers `GET /entities` as one JSON array without holding the result: pages come from the
 * catalog's cursor pagination and are written as they arrive, respecting back-pressure.
 * Errors before the first byte become normal error answers; after it the connection is cut so
 * the client sees a broken array rather than a silently short one.
 */
export class EntityStreamer {
  constructor(
    private readonly catalog: CatalogService,
    private readonly logger: LoggerService,
    private readonly catalogTimeoutMs: number,
  ) {}

  async stream(
    query: { filter?: EntityFilterQuery; fields?: string[] },
    credentials: BackstageCredentials,
    res: Response,
  ): Promise<void> {
    const pages = this.catalog
      .streamEntities({ ...query, pageSize: PAGE_SIZE }, { credentials })
      [Symbol.asyncIterator]();
    const next = () => callCatalog({ action: 'read catalog entities', timeoutMs: this.catalogTimeoutMs }, () => pages.next());

    let closed = false;
    res.on('close', () => {
      closed = true;
    });
    let page = await next(); // failures here still get a proper status
    if (closed) {
      await pages.return?.();
      return;
    }

    res.status(200).type('application/json');
    let first = true;
    try {
      res.write('[');
      while (!page.done && !closed) {
        let chunk = '';
        for (const entity of page.value) {
          chunk += (first ? '' : ',') + JSON.stringify(entity);
          first = false;
        }
        if (chunk && !res.write(chunk)) {
          await drainedOrClosed(res);
        }
        if (closed) break;
        page = await next();
      }
      if (closed) {
        await pages.return?.();
        return;
      }
      res.end(']');
    } catch (error) {
      this.logger.warn(`GET /entities failed after the response started; connection closed`, error as Error);
      await pages.return?.().catch(() => undefined);
      res.destroy();
    }
  }
}

/** Resolves when the response can take more data or is gone, leaving no listeners behind. */
function drainedOrClosed(res: Response): Promise<void> {
  return new Promise(resolve => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
