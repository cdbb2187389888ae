/*
 * End to end in Chromium: @fawkes/plugin-che-launcher on packages/app (production build) and
 * packages/backend (processes) on the embedded defaults, where the backend runs the
 * che-launcher stand-in cluster in-process. Uses the harness of app.e2e.test.ts (build, serve,
 * Chromium, axe). Writes docs/screenshots/che-*.png.
 */
import { BackendProcess, startBackendProcess } from '@fawkes/e2e-utils';
import { join } from 'node:path';
import { Page } from 'playwright-core';
import { AppServer, buildApp, repoRoot, serveApp } from './appServer';
import { seriousAxeViolations } from './axe';
import { ChromiumSession, launchChromium } from './chromium';
import { APP_PORT, BACKEND_PORT, e2eConfig, writeE2eAppConfigFile, writeE2eConfigFile } from './e2eConfig';

jest.setTimeout(20 * 60_000);

const screenshots = join(repoRoot, 'docs', 'screenshots');
const backendUrl = `http://localhost:${BACKEND_PORT}`;
const appUrl = `http://localhost:${APP_PORT}`;
/** A template of the embedded defaults whose devfile the stand-in operator refuses. */
const FAILING_TEMPLATE = process.env.FAWKES_E2E_FAILING_TEMPLATE ?? 'goldenpath-broken';

type Workspace = { workspaceId: string; name: string; status: string; ideUrl: string | null; statusMessage?: string };

async function expectAccessible(page: Page, name: string) {
  const findings = await seriousAxeViolations(page);
  expect({ page: name, findings }).toEqual({ page: name, findings: [] });
}

async function guestToken(): Promise<string> {
  const res = await fetch(`${backendUrl}/api/auth/guest/refresh`, { headers: { 'X-Requested-With': 'XMLHttpRequest' } });
  expect(res.status).toBe(200);
  return (await res.json()).backstageIdentity.token;
}

async function api<T>(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${backendUrl}/api/che-launcher${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

const row = (page: Page, name: string) => page.getByTestId('my-workspaces').getByRole('row', { name: new RegExp(`\\b${name}\\b`) });
const chipOf = (page: Page, name: string) => row(page, name).getByTestId('workspace-status');

async function waitForStatus(page: Page, name: string, status: string, timeout = 60_000) {
  await row(page, name).locator(`[data-testid="workspace-status"][data-status="${status}"]`).waitFor({ timeout });
}

describe('che-launcher (Chromium, embedded stand-in cluster)', () => {
  let backend: BackendProcess | undefined;
  let app: AppServer | undefined;
  let browser: ChromiumSession | undefined;
  let page: Page;
  let token: string;

  beforeAll(async () => {
    const [, started] = await Promise.all([
      buildApp([writeE2eConfigFile()]),
      startBackendProcess({
        port: BACKEND_PORT,
        configFiles: [writeE2eAppConfigFile(join(repoRoot, 'app-config.yaml'))],
        config: [e2eConfig],
        readyTimeoutMs: 180_000,
      }),
    ]);
    backend = started;
    app = await serveApp(APP_PORT);
    browser = await launchChromium();
    page = await browser.context.newPage();
    token = await guestToken();
    const probe = await api<{ error?: string }>(token, 'GET', '/workspaces');
    if (probe.status !== 200) {
      throw new Error(`the embedded stand-in cluster should answer workspace routes, got ${probe.status}`);
    }
    for (const w of (await api<{ workspaces: Workspace[] }>(token, 'GET', '/workspaces')).body.workspaces) {
      await api(token, 'DELETE', `/workspaces/${w.workspaceId}`);
    }
    await page.goto(`${appUrl}/catalog`);
    await page.getByRole('button', { name: 'Enter' }).click();
    await page.getByRole('link', { name: 'my-service' }).first().waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await backend?.stop();
  });

  it('opens my-service in Che: Starting with progress → Running → the Open IDE link is the API’s ideUrl', async () => {
    await page.getByRole('link', { name: 'my-service' }).first().click();
    const card = page.getByTestId('che-card');
    await card.waitFor();
    await expect(card.textContent()).resolves.toContain('goldenpath-python');
    await card.getByRole('button', { name: 'Open in Che' }).click();
    await card.getByTestId('che-launch-progress').waitFor();
    await expect(card.getByTestId('che-launch-progress').textContent()).resolves.toMatch(/Creating|Starting/);
    await card.screenshot({ path: join(screenshots, 'che-card-starting.png') });
    const link = card.getByRole('link', { name: /^Open IDE of / }).first();
    await link.waitFor({ timeout: 120_000 });
    const listed = await api<{ workspaces: (Workspace & { entityRef?: string })[] }>(token, 'GET', '/workspaces');
    const mine = listed.body.workspaces.filter(w => w.entityRef === 'component:default/my-service');
    expect(mine).toHaveLength(1);
    const one = await api<Workspace>(token, 'GET', `/workspaces/${mine[0].workspaceId}`);
    expect(one.body.status).toBe('Running');
    await expect(link.getAttribute('href')).resolves.toBe(one.body.ideUrl);
    await expectAccessible(page, 'entity overview with the Che card');
    await card.screenshot({ path: join(screenshots, 'che-card.png') });
  });

  it('stops, starts and deletes the workspace on the My workspaces page', async () => {
    await page.getByRole('link', { name: 'My workspaces' }).first().click();
    const { body } = await api<{ workspaces: Workspace[] }>(token, 'GET', '/workspaces');
    const name = body.workspaces[0].name;
    await waitForStatus(page, name, 'Running');
    await expectAccessible(page, 'my workspaces');
    await page.screenshot({ path: join(screenshots, 'che-my-workspaces.png') });

    await row(page, name).getByRole('button', { name: `Stop ${name}` }).click();
    await waitForStatus(page, name, 'Stopped');
    await row(page, name).getByRole('button', { name: `Start ${name}` }).click();
    await waitForStatus(page, name, 'Running', 120_000);
    await row(page, name).getByRole('button', { name: `Delete ${name}` }).click();
    const confirm = page.getByRole('dialog');
    await expect(confirm.textContent()).resolves.toContain(`Delete ${name}?`);
    await expectAccessible(page, 'delete confirmation');
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await row(page, name).waitFor({ state: 'detached', timeout: 60_000 });
    expect((await api<{ total: number }>(token, 'GET', '/workspaces')).body.total).toBe(0);
  });

  it('shows a template whose devfile fails as Failed with its message', async () => {
    await page.getByRole('button', { name: 'New workspace' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId(`template-${FAILING_TEMPLATE}`).click();
    await expectAccessible(page, 'new workspace dialog');
    await page.screenshot({ path: join(screenshots, 'che-new-workspace.png') });
    await dialog.getByRole('textbox', { name: /Name/ }).fill('broken-one');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'detached' });
    await waitForStatus(page, 'broken-one', 'Failed', 120_000);
    const shown = (await row(page, 'broken-one').getByTestId('workspace-status-message').textContent())?.trim();
    const fromApi = (await api<{ workspaces: Workspace[] }>(token, 'GET', '/workspaces')).body.workspaces.find(
      w => w.name === 'broken-one',
    );
    expect(shown).toBe(fromApi?.statusMessage);
    expect(shown).not.toBe('');
    await expect(chipOf(page, 'broken-one').textContent()).resolves.toBe('Failed');
    await expectAccessible(page, 'my workspaces with a failed workspace');
    await page.screenshot({ path: join(screenshots, 'che-failed.png') });
    await api(token, 'DELETE', `/workspaces/${fromApi!.workspaceId}`);
  });

  it('refuses a 4th running workspace with the limit in words', async () => {
    for (const name of ['limit-1', 'limit-2', 'limit-3']) {
      expect((await api(token, 'POST', '/workspaces', { template: 'goldenpath-python', name })).status).toBe(201);
    }
    await page.reload();
    await page.getByRole('button', { name: 'New workspace' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('template-goldenpath-python').click();
    await dialog.getByRole('textbox', { name: /Name/ }).fill('limit-4');
    await dialog.getByRole('button', { name: 'Create' }).click();
    const alert = dialog.getByTestId('che-error');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(/Workspace limit reached \(409\).*at most 3 running workspace/);
    await expectAccessible(page, 'new workspace dialog with the limit');
    await page.screenshot({ path: join(screenshots, 'che-limit.png') });
    const names = (await api<{ workspaces: Workspace[] }>(token, 'GET', '/workspaces')).body.workspaces.map(w => w.name);
    expect(names).not.toContain('limit-4');
  });
});
