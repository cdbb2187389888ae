import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { stringify } from 'yaml';
import { catalogExtensionsPlugin } from './plugin';

jest.setTimeout(300_000);

const COUNT = 10_000;

function bulkEntity(i: number): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `bulk-${i}`,
      description: `Bulk component number ${i} with a description of some length`,
      labels: { 'app.fawkes.idp/team': `team-${i % 50}` },
    },
    spec: { type: 'service', lifecycle: 'production', owner: `team-${i % 50}` },
  };
}

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

// The real catalog ingests 10,000 entities in about a minute on PostgreSQL (in-memory SQLite
// is slower), so this test runs where PostgreSQL is available.
const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const withPostgres = databases.eachSupportedId().length ? describe : describe.skip;
if (!databases.eachSupportedId().length) {
  // eslint-disable-next-line no-console
  console.warn('SKIPPING the 10,000-entity catalog test: BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is not set');
}

/** Polls the core catalog until it reports `count` components. */
async function waitForComponents(port: number, count: number) {
  const deadline = Date.now() + 240_000;
  for (;;) {
    // A backend busy ingesting may reset a kept-alive connection: that is "not yet".
    const res = await fetch(`http://127.0.0.1:${port}/api/catalog/entities/by-query?limit=1&filter=kind=component`, {
      headers: { authorization: mockCredentials.service.header() },
    }).catch(() => undefined);
    const total = res?.ok ? (await res.json()).totalItems : 0;
    if (total >= count) return;
    if (Date.now() > deadline) throw new Error(`catalog holds ${total} of ${count} components after 240 s`);
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
}

withPostgres('GET /entities on a real catalog with 10,000 entities', () => {
  const dir = mkdtempSync(join(tmpdir(), 'catalog-bulk-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('streams all of them within bounded memory', async () => {
    const file = join(dir, 'bulk.yaml');
    writeFileSync(file, Array.from({ length: COUNT }, (_, i) => stringify(bulkEntity(i))).join('---\n'));
    const knex = await databases.init('POSTGRES_15');
    const { server } = await startTestBackend({
      features: [
        catalogExtensionsPlugin,
        catalogPlugin,
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              // One location emits all entities in one processing pass; nothing is re-processed meanwhile.
              locations: [{ type: 'file', target: file }],
              rules: [{ allow: ['Component', 'Location'] }],
              processingInterval: { hours: 24 },
            },
          },
        }),
      ],
    });
    const port = (server.address() as AddressInfo).port;
    const ingestStarted = Date.now();
    await waitForComponents(port, COUNT);
    // eslint-disable-next-line no-console
    console.log(`catalog ingested ${COUNT} entities in ${((Date.now() - ingestStarted) / 1000).toFixed(0)} s`);

    const result = await measure(port, '/api/catalog-extensions/entities?filter=kind=Component');
    // eslint-disable-next-line no-console
    console.log(
      `GET /entities: ${result.entities} entities, ${(result.bytes / 1e6).toFixed(1)} MB of JSON, peak live-heap growth ${(result.peakHeapGrowth / 1e6).toFixed(1)} MB`,
    );
    expect(result.status).toBe(200);
    expect(result.valid).toBe(true);
    expect(result.entities).toBe(COUNT);
    // The route passes the core catalog's own /entities answer through, and that route (in
    // this same process) builds its whole answer before sending it: about one copy of the JSON
    // (measured 5.9-6.9 MB for 6.4 MB). Parsing and re-serialising the entities here would
    // retain several times the JSON size on top of it; passing the bytes through adds well
    // under half of it.
    expect(result.peakHeapGrowth).toBeLessThan(result.bytes * 1.5);
  });
});
