import type { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
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
 * Typed client for `/api/catalog-extensions`, usable from a Backstage frontend or backend.
 * Error answers are thrown as `ResponseError` from `@backstage/errors`: the status is
 * `error.response.status`, and the plugin's error body is read with
 * {@link readErrorResponse}.
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
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

/**
 * The plugin's error body (`error` and, for a rejected request, `details`) of a
 * `ResponseError` the client threw. `ResponseError` keeps a body that is not Backstage's own
 * error shape as the text of its cause ("Request failed with status 400 Bad Request, ..."),
 * and this parses it back.
 *
 * @public
 */
export function readErrorResponse(error: unknown): ErrorResponse | undefined {
  // By name, as `ResponseError.is` does: the error may come from another copy of the package.
  if (!(error instanceof Error) || error.name !== 'ResponseError') return undefined;
  const text = (error as ResponseError).cause?.message;
  if (typeof text !== 'string') return undefined;
  const json = text.indexOf('{');
  if (json < 0) return undefined;
  try {
    const body = JSON.parse(text.slice(json));
    return typeof body?.error === 'string' ? (body as ErrorResponse) : undefined;
  } catch {
    return undefined;
  }
}
