/*
 * End to end in Chromium: the "Register a component" page of @fawkes/plugin-catalog-extensions
 * on packages/app (production build) and packages/backend (processes, embedded defaults plus
 * an allowed file root for this run). Uses the harness of app.e2e.test.ts (build, serve,
 * Chromium, axe). Writes docs/screenshots/register-*.png.
 */
import { BackendProcess, startBackendProcess } from '@fawkes/e2e-utils';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Page } from 'playwright-core';
import { AppServer, buildApp, repoRoot, serveApp } from './appServer';
import { seriousAxeViolations } from './axe';
import { ChromiumSession, launchChromium } from './chromium';
import { APP_PORT, BACKEND_PORT, e2eConfig, writeE2eConfigFile } from './e2eConfig';

jest.setTimeout(20 * 60_000);

const screenshots = join(repoRoot, 'docs', 'screenshots');
const backendUrl = `http://localhost:${BACKEND_PORT}`;
const appUrl = `http://localhost:${APP_PORT}`;

const validDocument = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: e2e-registered-service
  description: Registered by the end-to-end run
spec:
  type: service
  lifecycle: experimental
  owner: platform-team
`;

// The second document (index 1) has no metadata.name: the dry run must name document 1, path metadata.name.
const brokenFile = `${validDocument.replace('e2e-registered-service', 'e2e-would-be-registered')}---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  description: no name
spec:
  type: service
  lifecycle: experimental
  owner: platform-team
`;

async function expectAccessible(page: Page, name: string) {
  const findings = await seriousAxeViolations(page);
  expect({ page: name, findings }).toEqual({ page: name, findings: [] });
}

async function guestToken(): Promise<string> {
  const res = await fetch(`${backendUrl}/api/auth/guest/refresh`, { headers: { 'X-Requested-With': 'XMLHttpRequest' } });
  expect(res.status).toBe(200);
  return (await res.json()).backstageIdentity.token;
}

async function registeredTargets(token: string): Promise<string[]> {
  const res = await fetch(`${backendUrl}/api/catalog/locations`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: { target: string } }[]).map(l => l.data.target);
}

async function preview(page: Page, target: string) {
  await page.goto(`${appUrl}/register-component`);
  await page.getByText('File on the backend').click();
  const field = page.getByRole('textbox', { name: /File path/ });
  await field.fill(target);
  await page.getByRole('button', { name: 'Preview' }).click();
}

describe('Register a component (Chromium)', () => {
  let backend: BackendProcess | undefined;
  let app: AppServer | undefined;
  let browser: ChromiumSession | undefined;
  let page: Page;
  let token: string;
  let root: string;

  beforeAll(async () => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'fawkes-register-')));
    writeFileSync(join(root, 'broken.yaml'), brokenFile);
    writeFileSync(join(root, 'valid.yaml'), validDocument);
    const [, started] = await Promise.all([
      buildApp([writeE2eConfigFile()]),
      startBackendProcess({
        port: BACKEND_PORT,
        config: [e2eConfig, { catalogExtensions: { allowedFileRoots: [root] }, catalog: { processingInterval: { seconds: 1 } } }],
        readyTimeoutMs: 180_000,
      }),
    ]);
    backend = started;
    app = await serveApp(APP_PORT);
    browser = await launchChromium();
    page = await browser.context.newPage();
    token = await guestToken();
    await page.goto(`${appUrl}/catalog`);
    await page.getByRole('button', { name: 'Enter' }).click();
    await page.getByRole('link', { name: 'my-service' }).first().waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await backend?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('is in the nav and accessible', async () => {
    await page.getByRole('link', { name: 'Register a component' }).first().click();
    await page.getByRole('heading', { name: 'Where is the catalog-info.yaml?' }).waitFor();
    await expectAccessible(page, 'register page');
  });

  it('shows an invalid document’s error inline with its document and path, and registers nothing', async () => {
    const target = join(root, 'broken.yaml');
    await preview(page, target);
    const panel = page.getByTestId('register-error');
    await panel.waitFor();
    await expect(panel.getByRole('alert').textContent()).resolves.toContain('The target does not validate (400)');
    const rows = page.getByTestId('validation-errors').locator('tbody tr');
    await expect(rows.count()).resolves.toBeGreaterThan(0);
    const cells = (await rows.first().locator('td, th').allTextContents()).map(t => t.trim());
    expect(cells[0]).toBe('1');
    expect(cells[1]).toBe('metadata.name');
    expect(cells[2]).not.toBe('');
    await expect(page.getByRole('button', { name: 'Register' }).count()).resolves.toBe(0);
    expect(await registeredTargets(token)).not.toContain(target);
    const entity = await fetch(`${backendUrl}/api/catalog/entities/by-name/component/default/e2e-would-be-registered`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(entity.status).toBe(404);
    await expectAccessible(page, 'register page, validation errors');
    await page.screenshot({ path: join(screenshots, 'register-validation-errors.png') });
  });

  it('previews a valid file, registers it, follows it to registered and opens the entity page', async () => {
    const target = join(root, 'valid.yaml');
    await preview(page, target);
    const previewCard = page.getByTestId('dry-run-preview');
    await previewCard.getByText('Preview: 1 entity found').waitFor();
    await previewCard.getByRole('row', { name: /component:default\/e2e-registered-service/ }).waitFor();
    await expectAccessible(page, 'register page, preview');
    await previewCard.getByRole('button', { name: 'Register' }).click();
    await page.locator('[data-testid="registration-result"][data-status="registered"]').waitFor({ timeout: 120_000 });
    expect(await registeredTargets(token)).toContain(target);
    await expectAccessible(page, 'register page, registered');
    await page.screenshot({ path: join(screenshots, 'register-registered.png') });

    await page.getByTestId('registered-entities').getByRole('link', { name: 'component:default/e2e-registered-service' }).click();
    await page.waitForURL(/\/catalog\/default\/component\/e2e-registered-service/);
    await page.getByText('Registered by the end-to-end run').first().waitFor();
  });
});
