import type { Entity } from '@backstage/catalog-model';
import { renderInTestApp, TestApiProvider } from '@backstage/frontend-test-utils';
import type {
  DryRunLocationResponse,
  LocationStatusResponse,
  RegisterLocationRequest,
  RegisterLocationResponse,
} from '@fawkes/plugin-catalog-extensions-common';
import { ResponseError } from '@backstage/errors';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CatalogExtensionsApi, catalogExtensionsApiRef } from '../api/CatalogExtensionsApi';
import { RegisterComponentPage } from './RegisterComponentPage';

jest.setTimeout(30_000);

/** The error the client throws for an error answer of the backend. */
const errorAnswer = (status: number, body: unknown) =>
  ResponseError.fromResponse(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));

const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'new-service', namespace: 'default', title: 'New service', description: 'Does things' },
  spec: { type: 'service', owner: 'platform-team', lifecycle: 'experimental' },
};

/** An in-memory backend: a dry run answers `preview` (or throws `previewError`), a location goes through `statuses`. */
class FakeCatalogExtensionsApi implements CatalogExtensionsApi {
  calls: { method: string; args: unknown[] }[] = [];
  preview?: DryRunLocationResponse;
  previewError?: Error;
  registerError?: Error;
  statuses: LocationStatusResponse['status'][] = ['processing', 'registered'];
  errors: LocationStatusResponse['errors'] = [];

  async dryRunLocation(request: RegisterLocationRequest): Promise<DryRunLocationResponse> {
    this.calls.push({ method: 'dryRunLocation', args: [request] });
    if (this.previewError) throw this.previewError;
    return this.preview ?? { dryRun: true, ...request, exists: false, entities: [component] };
  }

  async registerLocation(request: RegisterLocationRequest): Promise<RegisterLocationResponse> {
    this.calls.push({ method: 'registerLocation', args: [request] });
    if (this.registerError) throw this.registerError;
    return { locationId: '0b9c7a1e-8e0e-4c2c-9d7a-2f5d0c9e7f10', ...request, status: 'processing' };
  }

  async getLocationStatus(locationId: string): Promise<LocationStatusResponse> {
    this.calls.push({ method: 'getLocationStatus', args: [locationId] });
    const status = this.statuses.length > 1 ? this.statuses.shift()! : this.statuses[0];
    return {
      locationId,
      type: 'file',
      target: '/srv/catalog/new-service.yaml',
      status,
      entityRefs: status === 'processing' ? [] : ['component:default/new-service'],
      errors: status === 'failed' ? this.errors : [],
    };
  }
}

function render(api: FakeCatalogExtensionsApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[catalogExtensionsApiRef, api]]}>
      <RegisterComponentPage follow={{ minDelayMs: 20, maxDelayMs: 40 }} />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

async function previewFile(target: string) {
  await userEvent.click(await screen.findByRole('radio', { name: 'File on the backend' }));
  await userEvent.type(screen.getByRole('textbox', { name: /File path/ }), target);
  await userEvent.click(screen.getByRole('button', { name: 'Preview' }));
}

describe('RegisterComponentPage', () => {
  it('previews the entities found, registers, follows the location and links to the entities', async () => {
    const api = new FakeCatalogExtensionsApi();
    api.statuses = ['processing', 'processing', 'registered'];
    await render(api);
    await previewFile('/srv/catalog/new-service.yaml');
    const preview = await screen.findByTestId('dry-run-preview');
    expect(preview).toHaveTextContent('Preview: 1 entity found');
    const row = within(preview).getByRole('row', { name: /component:default\/new-service/ });
    expect(row).toHaveTextContent('Component');
    expect(row).toHaveTextContent('New service');
    expect(api.calls).toEqual([
      { method: 'dryRunLocation', args: [{ type: 'file', target: '/srv/catalog/new-service.yaml' }] },
    ]);

    await userEvent.click(within(preview).getByRole('button', { name: 'Register' }));
    expect(await screen.findByTestId('registration-result')).toHaveAttribute('data-status', 'processing');
    await waitFor(() => expect(screen.getByTestId('registration-result')).toHaveAttribute('data-status', 'registered'));
    const link = within(screen.getByTestId('registered-entities')).getByRole('link', { name: 'component:default/new-service' });
    expect(link.getAttribute('href')).toMatch(/\/catalog\/default\/component\/new-service$/);
    expect(api.calls.filter(c => c.method === 'getLocationStatus')).toHaveLength(3);
    expect(api.calls.filter(c => c.method === 'registerLocation')).toEqual([
      { method: 'registerLocation', args: [{ type: 'file', target: '/srv/catalog/new-service.yaml' }] },
    ]);
  });

  it('lists every validation error with its document and path, and offers no Register', async () => {
    const api = new FakeCatalogExtensionsApi();
    api.previewError = await errorAnswer(400, {
      error: "Invalid catalog-info.yaml: missing required field 'metadata.name'",
      details: [
        { document: 1, path: 'metadata.name', message: "missing required field 'metadata.name'" },
        { document: 2, path: 'spec.owner', message: 'must be a string' },
      ],
    });
    await render(api);
    await previewFile('/srv/catalog/broken.yaml');
    const panel = await screen.findByTestId('register-error');
    expect(panel).toHaveTextContent('The target does not validate (400)');
    expect(panel).toHaveTextContent("Invalid catalog-info.yaml: missing required field 'metadata.name'");
    const rows = within(screen.getByTestId('validation-errors')).getAllByRole('row').slice(1);
    expect(rows.map(r => [...r.querySelectorAll('td, th')].map(c => c.textContent))).toEqual([
      ['1', 'metadata.name', "missing required field 'metadata.name'"],
      ['2', 'spec.owner', 'must be a string'],
    ]);
    expect(screen.queryByRole('button', { name: 'Register' })).not.toBeInTheDocument();
    expect(api.calls.some(c => c.method === 'registerLocation')).toBe(false);
  });

  it('shows a failed location with the catalog’s processing errors', async () => {
    const api = new FakeCatalogExtensionsApi();
    api.statuses = ['processing', 'failed'];
    api.errors = [{ entityRef: 'component:default/new-service', message: 'Policy check failed: owner missing' }];
    await render(api);
    await previewFile('/srv/catalog/new-service.yaml');
    await userEvent.click(within(await screen.findByTestId('dry-run-preview')).getByRole('button', { name: 'Register' }));
    await waitFor(() => expect(screen.getByTestId('registration-result')).toHaveAttribute('data-status', 'failed'));
    expect(screen.getByTestId('processing-errors')).toHaveTextContent(
      'component:default/new-service: Policy check failed: owner missing',
    );
  });

  it('warns about an existing location and does not offer Register', async () => {
    const api = new FakeCatalogExtensionsApi();
    api.preview = { dryRun: true, type: 'url', target: 'https://github.com/o/r/blob/main/catalog-info.yaml', exists: true, entities: [component] };
    await render(api);
    await userEvent.type(await screen.findByRole('textbox', { name: /URL/ }), 'https://github.com/o/r/blob/main/catalog-info.yaml');
    await userEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const preview = await screen.findByTestId('dry-run-preview');
    expect(preview).toHaveTextContent('Already registered');
    expect(within(preview).getByRole('button', { name: 'Register' })).toBeDisabled();
    expect(api.calls[0].args).toEqual([{ type: 'url', target: 'https://github.com/o/r/blob/main/catalog-info.yaml' }]);
  });

  it.each([
    [409, 'Location already exists', 'Already registered (409)'],
    [403, 'catalog.location.create is denied', 'Not allowed to register locations (403)'],
    [429, 'Too many requests', 'Too many requests (429)'],
  ])('shows a %s of Register in words', async (status, message, title) => {
    const api = new FakeCatalogExtensionsApi();
    api.registerError = await errorAnswer(status, { error: message });
    await render(api);
    await previewFile('/srv/catalog/new-service.yaml');
    await userEvent.click(within(await screen.findByTestId('dry-run-preview')).getByRole('button', { name: 'Register' }));
    const panel = await screen.findByTestId('register-error');
    expect(panel).toHaveTextContent(title);
    expect(panel).toHaveTextContent(message);
    expect(api.calls.some(c => c.method === 'getLocationStatus')).toBe(false);
  });
});
