/*
 * End to end in a real browser: packages/app (production build) and packages/backend as
 * processes on the embedded defaults, driven in Debian's Chromium through Playwright.
 * Prints the measured figures (not timed assertions) and writes docs/screenshots/.
 */
import { BackendProcess, startBackendProcess } from '@fawkes/e2e-utils';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Page } from 'playwright-core';
import { appDistDir, AppServer, buildApp, repoRoot, serveApp } from './appServer';
import { seriousAxeViolations } from './axe';
import { measureBundle } from './bundleSize';
import { ChromiumSession, launchChromium } from './chromium';
import { APP_PORT, BACKEND_PORT, e2eConfig, writeE2eConfigFile } from './e2eConfig';
import { writeScaleData } from './scaleData';

jest.setTimeout(20 * 60_000);

const screenshots = join(repoRoot, 'docs', 'screenshots');
const METRICS = ['deploymentFrequency', 'leadTimeForChanges', 'changeFailureRate', 'timeToRestoreService'] as const;
const figures: Record<string, unknown> = {};

function formatNumber(value: number): string {
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(value);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function guestToken(backend: string): Promise<string> {
  const res = await fetch(`${backend}/api/auth/guest/refresh`, { headers: { 'X-Requested-With': 'XMLHttpRequest' } });
  expect(res.status).toBe(200);
  return (await res.json()).backstageIdentity.token;
}

async function api<T>(backend: string, token: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${backend}/api/${path}`, {
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    ...(body ? { method: 'POST', body: JSON.stringify(body) } : {}),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

/** The dev-only static service token of app-config.yaml (1000 requests a minute, not a user's 100). */
const SERVICE_TOKEN = 'dev-service-token-change-me';

/** Runs `tasks` with at most `concurrency` at once; the wall time in ms. */
async function timed(tasks: Array<() => Promise<unknown>>, concurrency: number): Promise<number> {
  const started = Date.now();
  const queue = [...tasks];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let task = queue.shift(); task; task = queue.shift()) await task();
    }),
  );
  return Date.now() - started;
}

async function expectAccessible(page: Page, name: string, exclude: string[] = []) {
  // Checked at rest: no row left hovered by the last click.
  await page.mouse.move(0, 0);
  const findings = await seriousAxeViolations(page, exclude);
  figures[`axe ${name}`] = findings.length;
  expect({ page: name, findings }).toEqual({ page: name, findings: [] });
}

/** Opens the catalog, signing in as guest when the app asks (a session survives a backend restart). */
async function signInAsGuest(page: Page, app: string) {
  await page.goto(`${app}/catalog`);
  const enter = page.getByRole('button', { name: 'Enter' });
  await enter.or(page.getByRole('heading', { name: /catalog/i })).first().waitFor();
  if (await enter.isVisible()) await enter.click();
}

/** Waits until the catalog has ingested at least `count` entities matching the filter. */
async function waitForCatalog(backend: string, token: string, filter: string, count: number) {
  for (let i = 0; ; i++) {
    const res = await api<{ totalItems: number }>(backend, token, `catalog/entities/by-query?filter=${filter}&limit=1`);
    if (res.totalItems >= count) return;
    if (i > 240) throw new Error(`catalog has ${res.totalItems} of ${count} entities (${filter})`);
    await new Promise(r => setTimeout(r, 500));
  }
}

/** The values and levels the card shows, as the test reads them in the page. */
async function cardValues(page: Page) {
  const card = page.getByTestId('dora-card').first();
  const out: Record<string, { text: string; raw: string | null; level: string | null }> = {};
  for (const key of METRICS) {
    const tile = card.getByTestId(`dora-metric-${key}`);
    const value = tile.getByTestId('value');
    const level = tile.getByTestId('level');
    out[key] = {
      text: (await value.textContent())?.trim() ?? '',
      raw: await value.getAttribute('data-value'),
      level: (await level.count()) ? await level.getAttribute('data-level') : null,
    };
  }
  return out;
}

type Metric = { value: number | null; performance: string | null };
type DoraResponse = { metrics: Record<(typeof METRICS)[number], Metric>; cachedAt?: string };
type Deployment = { version: string | null; environment: string | null; startTime: string | null };

describe('app end to end (Chromium)', () => {
  let backend: BackendProcess | undefined;
  let app: AppServer | undefined;
  let browser: ChromiumSession | undefined;
  let page: Page;
  let token: string;
  const backendUrl = `http://localhost:${BACKEND_PORT}`;
  const appUrl = `http://localhost:${APP_PORT}`;

  beforeAll(async () => {
    const [build, started] = await Promise.all([
      buildApp([writeE2eConfigFile()]),
      startBackendProcess({ port: BACKEND_PORT, config: [e2eConfig], readyTimeoutMs: 180_000 }),
    ]);
    backend = started;
    figures['app build (s)'] = build.seconds.toFixed(0);
    app = await serveApp(APP_PORT);
    browser = await launchChromium();
    page = await browser.context.newPage();
    // The run shares two cores with the rest of the suite: wait longer than Playwright's 30 s.
    page.setDefaultTimeout(90_000);
    token = await guestToken(backendUrl);
    await waitForCatalog(backendUrl, token, 'kind=component,metadata.name=my-service', 1);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await backend?.stop();
    // eslint-disable-next-line no-console
    console.log(`e2e figures:\n${Object.entries(figures).map(([k, v]) => `  ${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join('\n')}`);
  });

  it('signs in as guest and lists the catalog', async () => {
    await page.goto(`${appUrl}/catalog`);
    await page.getByRole('button', { name: 'Enter' }).waitFor();
    await expectAccessible(page, 'sign-in');
    await signInAsGuest(page, appUrl);
    await page.getByRole('link', { name: 'my-service' }).first().waitFor();
    // The core catalog table's sortable headers (material-table in @backstage/plugin-catalog)
    // nest a role=button in a focusable header: axe's nested-interactive, not ours to change.
    await expectAccessible(page, 'catalog', ['th .MuiTableSortLabel-root']);
  });

  it('shows on my-service exactly the values and levels of GET /dora-metrics?project=my-service', async () => {
    const started = Date.now();
    await page.getByRole('link', { name: 'my-service' }).first().click();
    await page.getByTestId('dora-card').getByTestId('dora-metric-deploymentFrequency').getByTestId('value').waitFor();
    figures['navigation: catalog click to card values visible (ms)'] = Date.now() - started;

    const expected = await api<DoraResponse>(backendUrl, token, 'devlake/dora-metrics?project=my-service');
    const shown = await cardValues(page);
    for (const key of METRICS) {
      const metric = expected.metrics[key];
      expect({ key, ...shown[key] }).toEqual({
        key,
        text: metric.value === null ? 'N/A' : formatNumber(metric.value),
        raw: String(metric.value),
        level: metric.performance,
      });
    }
    await expect(page.getByTestId('grafana-link').getAttribute('href')).resolves.toContain('/d/qNo8_0M4z/dora?');
    // The page's answer was computed for it (the first request for these figures): no cached hint.
    expect(await page.getByTestId('dora-card').getByTestId('dora-cached').count()).toBe(0);
    await expectAccessible(page, 'entity overview');
  });

  it('draws one point per bucket of /dora-metrics/series on the DORA Metrics tab', async () => {
    const seriesResponse = page.waitForResponse(r => r.url().includes('/api/devlake/dora-metrics/series'));
    await page.getByRole('link', { name: 'DORA Metrics' }).or(page.getByRole('tab', { name: 'DORA Metrics' })).first().click();
    const response = await seriesResponse;
    expect(response.status()).toBe(200);
    const requested = new URL(response.url()).search;
    const series = await api<{ buckets: Record<string, number | null>[] }>(
      backendUrl,
      token,
      `devlake/dora-metrics/series${requested}`,
    );
    expect(series.buckets.length).toBeGreaterThan(0);
    await page.getByTestId('dora-charts').waitFor();
    for (const key of ['leadTimeForChanges', 'changeFailureRate', 'timeToRestoreService']) {
      const chart = page.getByTestId(`dora-chart-${key}`);
      await expect(chart.getAttribute('data-points')).resolves.toBe(String(series.buckets.length));
      const withValue = series.buckets.filter(bucket => bucket[key] !== null).length;
      await expect(chart.locator('.recharts-line-dot').count()).resolves.toBe(withValue);
    }
    const bars = page.getByTestId('dora-chart-deploymentDays');
    await expect(bars.getAttribute('data-points')).resolves.toBe(String(series.buckets.length));
    const nonZero = series.buckets.filter(bucket => (bucket.deploymentDays ?? 0) > 0).length;
    await expect(bars.locator('.recharts-bar-rectangle').count()).resolves.toBe(nonZero);
    figures['series buckets drawn'] = series.buckets.length;

    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(screenshots, 'dora-tab.png') });
  });

  it('pages and filters the deployment history like GET /deployment-history', async () => {
    const history = page.getByTestId('deployment-history');
    const rows = history.getByRole('row').filter({ has: page.getByRole('rowheader') });
    await rows.first().waitFor();
    type HistoryPage = { deployments: Deployment[]; total: number };
    const pageOf = (query: string) => api<HistoryPage>(backendUrl, token, `devlake/deployment-history?service=my-service&${query}`);
    const [first, second] = [await pageOf('limit=10&offset=0'), await pageOf('limit=10&offset=10')];
    expect(first.total).toBeGreaterThan(10);
    const versions = async () => (await rows.getByRole('rowheader').allTextContents()).map(t => t.trim());
    await expect(versions()).resolves.toEqual(first.deployments.map(d => d.version ?? '—'));
    // The next page is the backend's next page (offset=10), not a slice of a bigger answer.
    const nextRequest = page.waitForRequest(r => r.url().includes('/api/devlake/deployment-history'));
    await history.getByRole('button', { name: /next/i }).click();
    const next = new URL((await nextRequest).url()).searchParams;
    expect({ offset: next.get('offset'), limit: next.get('limit') }).toEqual({ offset: '10', limit: '10' });
    await history.getByRole('rowheader').filter({ hasText: second.deployments[0].version ?? '—' }).first().waitFor();
    await expect(versions()).resolves.toEqual(second.deployments.map(d => d.version ?? '—'));

    await history.getByRole('button', { name: /Environment$/ }).click();
    await page.getByRole('option', { name: 'Staging' }).click();
    const staging = await pageOf('environment=staging&limit=10&offset=0');
    await history.getByTestId('deployment-total').filter({ hasText: String(staging.total) }).waitFor();
    await history.getByRole('rowheader').filter({ hasText: staging.deployments[0].version ?? '—' }).first().waitFor();
    await expect(versions()).resolves.toEqual(staging.deployments.map(d => d.version ?? '—'));
    const environments = (await rows.locator('[role=gridcell]:nth-child(2), td:nth-child(2)').allTextContents()).map(t => t.trim());
    expect(new Set(environments)).toEqual(new Set(['staging']));
    await expectAccessible(page, 'DORA Metrics tab');
    await history.screenshot({ path: join(screenshots, 'dora-history.png') });
  });

  it('shows the cache age of the overview’s figures when they come from the backend’s cache', async () => {
    // The overview's request again (the same 30 days): within devlake.cache.ttl, so cached.
    await page.goto(`${appUrl}/catalog/default/component/my-service`);
    const cached = page.getByTestId('dora-card').getByTestId('dora-cached');
    await cached.waitFor();
    const again = await api<DoraResponse>(backendUrl, token, 'devlake/dora-metrics?project=my-service');
    expect(again.cachedAt).toEqual(expect.any(String));
    await expect(cached.getAttribute('title')).resolves.toBe(`Computed at ${again.cachedAt}`);
    await expect(cached.textContent()).resolves.toMatch(/cached \d+ (s|min) ago/);
    await page.mouse.move(0, 0);
    await page.getByTestId('dora-card').screenshot({ path: join(screenshots, 'dora-card.png') });
  });

  it('lists a team’s services on its group page', async () => {
    const owned = await api<{ items: { metadata: { name: string } }[] }>(
      backendUrl,
      token,
      'catalog/entities/by-query?filter=kind=component,relations.ownedBy=group:default/platform-team&fields=metadata.name',
    );
    const names = owned.items.map(e => e.metadata.name).sort();
    expect(names.length).toBeGreaterThan(0);
    const devlakeRequests: string[] = [];
    const onRequest = (r: { url(): string; method(): string }) => {
      if (r.url().includes('/api/devlake/')) devlakeRequests.push(`${r.method()} ${new URL(r.url()).pathname}`);
    };
    page.on('request', onRequest);
    await page.goto(`${appUrl}/catalog/default/group/platform-team/dora`);
    const table = page.getByTestId('team-services');
    await table.getByTestId('team-services-progress').filter({ hasText: /^\d+ services?$/ }).waitFor();
    page.off('request', onRequest);
    // The team's card and one batch for its services (up to 25), not one request per service.
    expect(devlakeRequests.sort()).toEqual(
      ['GET /api/devlake/dora-metrics', ...Array(Math.ceil(names.length / 25)).fill('POST /api/devlake/dora-metrics/batch')].sort(),
    );
    const listed = (await table.getByRole('rowheader').allTextContents()).map(t => t.trim()).sort();
    expect(listed).toEqual(names);
    await expectAccessible(page, 'team view');
    await page.screenshot({ path: join(screenshots, 'team-view.png') });
  });

  it('measures the production bundle and the team view with 120 services in 20 teams', async () => {
    figures.bundle = await measureBundle(appDistDir);

    await backend?.stop();
    const scaleDir = mkdtempSync(join(tmpdir(), 'fawkes-scale-'));
    const scale = await writeScaleData(scaleDir);
    // Besides the 20 teams: one group owning a second component for each of the 120 projects,
    // the team page the per-user rate limit used to break (one request per service).
    const allServices = [...scale.servicesByTeam.values()].flat().map(name => `${name}-all`);
    const bigTeamFile = join(scaleDir, 'catalog-big-team.yaml');
    const bigTeam = [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'all-services', annotations: { 'devlake.apache.org/team': scale.teams[0] } },
        spec: { type: 'team', children: [] },
      },
      ...allServices.map(name => ({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name, annotations: { 'devlake.apache.org/project-name': name.replace(/-svc-all$/, '') } },
        spec: { type: 'service', lifecycle: 'production', owner: 'all-services' },
      })),
    ];
    writeFileSync(bigTeamFile, bigTeam.map(d => `---\n${JSON.stringify(d)}\n`).join(''));
    backend = await startBackendProcess({
      port: BACKEND_PORT,
      readyTimeoutMs: 180_000,
      config: [
        e2eConfig,
        {
          devlake: { database: { client: 'better-sqlite3', connection: { filename: scale.devlakeFile } } },
          catalog: {
            locations: [scale.catalogFile, bigTeamFile].map(target => ({ type: 'file', target, rules: [{ allow: ['Component', 'Group'] }] })),
          },
          // The user's default rate limit (100 requests a minute): 20 team pages take 40, the
          // 120-service page 6.
        },
      ],
    });
    token = await guestToken(backendUrl);
    await waitForCatalog(backendUrl, token, 'kind=component', 240);
    await waitForCatalog(backendUrl, token, 'kind=group', 21);
    await waitForCatalog(backendUrl, token, 'kind=component,relations.ownedBy=group:default/all-services', 120);
    await signInAsGuest(page, appUrl);
    let devlakeRequests = 0;
    const count = (r: { url(): string }) => {
      if (r.url().includes('/api/devlake/')) devlakeRequests++;
    };
    page.on('request', count);
    const times: number[] = [];
    for (const team of scale.teams) {
      const started = Date.now();
      await page.goto(`${appUrl}/catalog/default/group/${team}/dora`);
      const services = scale.servicesByTeam.get(team)!.length;
      await page
        .getByTestId('team-services-progress')
        .filter({ hasText: new RegExp(`^${services} services?$`) })
        .waitFor({ timeout: 60_000 });
      await page.getByTestId('dora-card').getByTestId('dora-metric-deploymentFrequency').getByTestId('value').waitFor();
      times.push(Date.now() - started);
    }
    page.off('request', count);
    figures['team view, 120 services in 20 teams: page load to all rows (ms)'] = {
      first: times[0],
      median: median(times),
      max: Math.max(...times),
      teams: times.length,
    };
    figures['team view, 20 team pages: devlake requests (rate limit 100/min per user)'] = devlakeRequests;
    expect(times).toHaveLength(20);
    expect(devlakeRequests).toBe(40);

    // One team of 120 services: 5 batches of 25 and the team card.
    devlakeRequests = 0;
    page.on('request', count);
    // When each API answer of the page arrived, from navigation: where the time goes.
    let bigStarted = Date.now();
    const answers: string[] = [];
    const onAnswer = (r: { url(): string; request(): { method(): string } }) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/api/')) answers.push(`${r.request().method()} ${path.replace('/api/', '')} +${Date.now() - bigStarted}`);
    };
    page.on('response', onAnswer);
    bigStarted = Date.now();
    await page.goto(`${appUrl}/catalog/default/group/all-services/dora`);
    await page.getByTestId('team-services-progress').filter({ hasText: /^120 services$/ }).waitFor({ timeout: 120_000 });
    await page.getByTestId('dora-card').getByTestId('dora-metric-deploymentFrequency').getByTestId('value').waitFor();
    figures['team view, one team of 120 services: page load to all 120 rows (ms)'] = Date.now() - bigStarted;
    page.off('request', count);
    page.off('response', onAnswer);
    figures['team view, one team of 120 services: API answers (ms after navigation)'] = answers;
    figures['team view, one team of 120 services: devlake requests'] = devlakeRequests;
    expect(devlakeRequests).toBe(6);
    await expect(page.getByTestId('team-services').getByText('not in DevLake').count()).resolves.toBe(0);

    // The same 120 services' figures over the API, uncached (a period no page asked for):
    // one GET per service, 6 at a time (the team view before the batch route), against one
    // batch per team, 2 at a time.
    const byTeam = scale.teams.map(team => scale.servicesByTeam.get(team)!);
    const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
    // Warms the service token's catalog lookups (devlake.cache.catalogTtl) for both variants.
    await timed(
      byTeam.map(projects => () =>
        api(backendUrl, SERVICE_TOKEN, 'devlake/dora-metrics/batch', { projects, startDate: day(63), endDate: day(3) }),
      ),
      2,
    );
    const perService = await timed(
      byTeam
        .flat()
        .map(name => () => api(backendUrl, SERVICE_TOKEN, `devlake/dora-metrics?project=${name}&startDate=${day(61)}&endDate=${day(1)}`)),
      6,
    );
    const batched = await timed(
      byTeam.map(projects => () =>
        api(backendUrl, SERVICE_TOKEN, 'devlake/dora-metrics/batch', { projects, startDate: day(62), endDate: day(2) }),
      ),
      2,
    );
    figures['120 services over the API, uncached: 120 GETs (6 at once) vs 20 batches (2 at once) (ms)'] = {
      perService,
      batched,
    };
  });
});
