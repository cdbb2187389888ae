import type { Entity } from '@backstage/catalog-model';
import type {
  DryRunLocationResponse,
  ErrorResponse,
  GetEntitiesRequest,
  LocationStatusResponse,
  RegisterLocationRequest,
  RegisterLocationResponse,
} from './types';

/**
 * The part of Backstage's `DiscoveryApi` the client needs.
 *
 * @public
 */
export interface DiscoveryApi {
  getBaseUrl(pluginId: string): Promise<string>;
}

/**
 * The part of Backstage's `FetchApi` the client needs (it adds the user's token).
 *
 * @public
 */
export interface FetchApi {
  fetch: typeof fetch;
}

/**
 * A non-2xx answer of the plugin, with its status and `{"error"}` body.
 *
 * @public
 */
export class CatalogExtensionsError extends Error {
  readonly name = 'CatalogExtensionsError';
  constructor(
    readonly status: number,
    readonly body: ErrorResponse,
  ) {
    super(body.error);
  }
}

/**
 * Typed client for `/api/catalog-extensions`, usable from a Backstage frontend or backend.
 *
 * @public
 */
export class CatalogExtensionsClient {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  /** Validates the target's entities and registers it; processing continues in the catalog. */
  async registerLocation(request: RegisterLocationRequest): Promise<RegisterLocationResponse> {
    return this.send('POST', '/locations', request);
  }

  /** Validates the target and returns the entities it would produce, registering nothing. */
  async dryRunLocation(request: RegisterLocationRequest): Promise<DryRunLocationResponse> {
    return this.send('POST', '/locations?dryRun=true', request);
  }

  /** Follows up on a registration: `processing`, `registered` or `failed`. */
  async getLocationStatus(locationId: string): Promise<LocationStatusResponse> {
    return this.send('GET', `/locations/${encodeURIComponent(locationId)}`);
  }

  /** Entities matching the filters, projected to `fields` when given. */
  async getEntities(request: GetEntitiesRequest = {}): Promise<Entity[]> {
    const params = new URLSearchParams();
    for (const filter of [request.filter ?? []].flat()) {
      params.append('filter', filter);
    }
    if (request.fields?.length) {
      params.set('fields', request.fields.join(','));
    }
    const query = params.toString();
    return this.send('GET', `/entities${query ? `?${query}` : ''}`);
  }

  private async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('catalog-extensions');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      let errorBody: ErrorResponse;
      try {
        errorBody = (await response.json()) as ErrorResponse;
      } catch {
        errorBody = { error: `Request failed with ${response.status} ${response.statusText}` };
      }
      throw new CatalogExtensionsError(response.status, errorBody);
    }
    return (await response.json()) as T;
  }
}
