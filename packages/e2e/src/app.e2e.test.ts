/*
 * End to end in a real browser: packages/app (production build) and packages/backend as
 * processes on the embedded defaults, driven in Debian's Chromium through Playwright.
 * Prints the measured figures (not timed assertions) and writes docs/screenshots/.
 */
import { BackendProcess, startBackendProcess } from '@fawkes/e2e-utils';
import { mkdtempSync } from 'node:fs';
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

async function api<T>(backend: string, token: string, path: string): Promise<T> {
  const res = await fetch(`${backend}/api/${path}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
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
type DoraResponse = { metrics: Record<(typeof METRICS)[number], Metric> };
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
    await expectAccessible(page, 'entity overview');
    await page.getByTestId('dora-card').screenshot({ path: join(screenshots, 'dora-card.png') });
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
    const all = await api<{ deployments: Deployment[]; total: number }>(
      backendUrl,
      token,
      'devlake/deployment-history?service=my-service&limit=100',
    );
    const newest = [...all.deployments].sort((a, b) => (b.startTime ?? '').localeCompare(a.startTime ?? ''));
    const versions = async () => (await rows.getByRole('rowheader').allTextContents()).map(t => t.trim());
    await expect(versions()).resolves.toEqual(newest.slice(0, 10).map(d => d.version ?? '—'));
    await history.getByRole('button', { name: /next/i }).click();
    await expect(versions()).resolves.toEqual(newest.slice(10, 20).map(d => d.version ?? '—'));

    await history.getByRole('button', { name: /Environment$/ }).click();
    await page.getByRole('option', { name: 'Staging' }).click();
    const staging = await api<{ deployments: Deployment[]; total: number }>(
      backendUrl,
      token,
      'devlake/deployment-history?service=my-service&environment=staging&limit=100',
    );
    await history.getByTestId('deployment-total').filter({ hasText: String(staging.total) }).waitFor();
    const environments = (await rows.locator('[role=gridcell]:nth-child(2), td:nth-child(2)').allTextContents()).map(t => t.trim());
    expect(environments.length).toBe(Math.min(10, staging.deployments.length));
    expect(new Set(environments)).toEqual(new Set(['staging']));
    await expectAccessible(page, 'DORA Metrics tab');
  });

  it('lists a team’s services on its group page', async () => {
    const owned = await api<{ items: { metadata: { name: string } }[] }>(
      backendUrl,
      token,
      'catalog/entities/by-query?filter=kind=component,relations.ownedBy=group:default/platform-team&fields=metadata.name',
    );
    const names = owned.items.map(e => e.metadata.name).sort();
    expect(names.length).toBeGreaterThan(0);
    await page.goto(`${appUrl}/catalog/default/group/platform-team/dora`);
    const table = page.getByTestId('team-services');
    await table.getByTestId('team-services-progress').filter({ hasText: /^\d+ services?$/ }).waitFor();
    const listed = (await table.getByRole('rowheader').allTextContents()).map(t => t.trim()).sort();
    expect(listed).toEqual(names);
    await expectAccessible(page, 'team view');
    await page.screenshot({ path: join(screenshots, 'team-view.png') });
  });

  it('measures the production bundle and the team view with 120 services in 20 teams', async () => {
    figures.bundle = await measureBundle(appDistDir);

    await backend?.stop();
    const scale = await writeScaleData(mkdtempSync(join(tmpdir(), 'fawkes-scale-')));
    backend = await startBackendProcess({
      port: BACKEND_PORT,
      readyTimeoutMs: 180_000,
      config: [
        e2eConfig,
        {
          devlake: { database: { client: 'better-sqlite3', connection: { filename: scale.devlakeFile } } },
          catalog: { locations: [{ type: 'file', target: scale.catalogFile, rules: [{ allow: ['Component', 'Group'] }] }] },
          // 20 team pages of 6 services each is more than a user's default 100 requests a minute.
          apiGuard: { rateLimit: { user: { limit: 2000 } } },
        },
      ],
    });
    token = await guestToken(backendUrl);
    await waitForCatalog(backendUrl, token, 'kind=component', 120);
    await waitForCatalog(backendUrl, token, 'kind=group', 20);
    await signInAsGuest(page, appUrl);
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
    figures['team view, 120 services in 20 teams: page load to all rows (ms)'] = {
      first: times[0],
      median: median(times),
      max: Math.max(...times),
      teams: times.length,
    };
    expect(times).toHaveLength(20);
  });
});
