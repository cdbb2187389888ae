import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockCredentials, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { Router } from 'express';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { catalogExtensionsPlugin } from './plugin';

jest.setTimeout(60_000);

const COUNT = 10_000;

function bulkEntity(i: number): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `bulk-${i}`,
      description: `Bulk component number ${i} with a description of some length`,
      labels: { 'app.fawkes.idp/team': `team-${i % 50}` },
      annotations: {
        'backstage.io/managed-by-location': 'url:https://example.com/bulk.yaml',
        'backstage.io/managed-by-origin-location': 'url:https://example.com/bulk.yaml',
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: `team-${i % 50}` },
  };
}

/**
 * Filling the real catalog with 10,000 entities takes its processing loop (10 in flight, 1 s
 * polls) about three minutes on this machine, so this test stands in for the catalog at the
 * HTTP level: a `catalog` plugin answering `GET /entities/by-query` with cursor pages, talked
 * to by the real catalog client behind `catalogServiceRef`. Everything of ours runs for real.
 */
const fakeCatalog = createBackendPlugin({
  pluginId: 'catalog',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter },
      async init({ httpRouter }) {
        const router = Router();
        router.get('/entities/by-query', (req, res) => {
          const limit = Number(req.query.limit ?? 500);
          const offset = req.query.cursor ? Number(Buffer.from(String(req.query.cursor), 'base64').toString()) : 0;
          const end = Math.min(offset + limit, COUNT);
          const items = Array.from({ length: end - offset }, (_, i) => bulkEntity(offset + i));
          res.json({
            items,
            totalItems: COUNT,
            pageInfo: end < COUNT ? { nextCursor: Buffer.from(String(end)).toString('base64') } : {},
          });
        });
        httpRouter.use(router);
      },
    });
  },
});

v8.setFlagsFromString('--expose-gc');
const gc: () => void = runInNewContext('gc');

/** Live heap: what is left after a full collection. */
function liveHeap(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Streams the answer, counting entities without keeping the body. Every 256 KB received it
 * forces a collection and samples the live heap, so the figure is what the request retains,
 * not garbage waiting to be collected.
 */
function measure(port: number, path: string) {
  return new Promise<{ status: number; bytes: number; entities: number; peakHeapGrowth: number; valid: boolean }>(
    (resolve, reject) => {
      const baseline = liveHeap();
      let peak = baseline;
      let sinceSample = 0;
      const req = http.get(
        { host: '127.0.0.1', port, path, headers: { authorization: mockCredentials.user.header('user:default/alice') } },
        res => {
          let bytes = 0;
          let entities = 0;
          let first = '';
          let tail = '';
          res.on('data', (chunk: Buffer) => {
            const text = tail + chunk.toString('utf8');
            if (!first) first = text.slice(0, 1);
            entities += text.split('"kind":"Component"').length - 1;
            // keep enough to find a marker split across chunks, but never count it twice
            const keep = text.slice(-17);
            tail = keep.includes('"kind":"Component"') ? '' : keep;
            bytes += chunk.length;
            sinceSample += chunk.length;
            if (sinceSample > 256 * 1024) {
              sinceSample = 0;
              peak = Math.max(peak, liveHeap());
            }
          });
          res.on('end', () => {
            resolve({
              status: res.statusCode ?? 0,
              bytes,
              entities,
              peakHeapGrowth: peak - baseline,
              valid: first === '[' && tail.endsWith(']'),
            });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
    },
  );
}

describe('GET /entities on a catalog with 10,000 entities', () => {
  it('streams all of them within bounded memory', async () => {
    const { server } = await startTestBackend({ features: [catalogExtensionsPlugin, fakeCatalog] });
    const port = (server.address() as AddressInfo).port;
    const result = await measure(port, '/api/catalog-extensions/entities?filter=kind=Component');
    // eslint-disable-next-line no-console
    console.log(
      `GET /entities: ${result.entities} entities, ${(result.bytes / 1e6).toFixed(1)} MB of JSON, peak live-heap growth ${(result.peakHeapGrowth / 1e6).toFixed(1)} MB`,
    );
    expect(result.status).toBe(200);
    expect(result.valid).toBe(true);
    expect(result.entities).toBe(COUNT);
    // Holding the result would retain several times the JSON size; streaming pages of 500
    // keeps what the request retains well below the size of the answer itself.
    expect(result.peakHeapGrowth).toBeLessThan(result.bytes / 2);
  });
});
