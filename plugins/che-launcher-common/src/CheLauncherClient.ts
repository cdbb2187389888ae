import { ResponseError } from '@backstage/errors';
import {
  CreateWorkspaceRequest,
  CreateWorkspaceResponse,
  ListDevfilesResponse,
  ListWorkspacesQuery,
  ListWorkspacesResponse,
  Workspace,
} from './types';

/**
 * The part of Backstage's DiscoveryApi the client needs.
 *
 * @public
 */
export interface CheLauncherDiscoveryApi {
  getBaseUrl(pluginId: string): Promise<string>;
}

/**
 * The part of Backstage's FetchApi the client needs (it adds the user's token).
 *
 * @public
 */
export interface CheLauncherFetchApi {
  fetch: typeof fetch;
}

/**
 * A typed client of `/api/che-launcher`, usable from a Backstage frontend. A non-2xx answer
 * throws Backstage's `ResponseError` (`@backstage/errors`).
 *
 * @public
 */
export class CheLauncherClient {
  private readonly discoveryApi: CheLauncherDiscoveryApi;
  private readonly fetchApi: CheLauncherFetchApi;

  constructor(options: { discoveryApi: CheLauncherDiscoveryApi; fetchApi: CheLauncherFetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  createWorkspace(request: CreateWorkspaceRequest): Promise<CreateWorkspaceResponse> {
    return this.call('POST', '/workspaces', request);
  }

  /** The golden-path devfile templates (`cheLauncher.devfiles`). */
  listDevfiles(): Promise<ListDevfilesResponse> {
    return this.call('GET', '/devfiles');
  }

  listWorkspaces(query: ListWorkspacesQuery = {}): Promise<ListWorkspacesResponse> {
    const params = new URLSearchParams();
    if (query.status) params.set('status', query.status);
    if (query.owner) params.set('owner', query.owner);
    const search = params.toString();
    return this.call('GET', `/workspaces${search ? `?${search}` : ''}`);
  }

  getWorkspace(workspaceId: string): Promise<Workspace> {
    return this.call('GET', `/workspaces/${encodeURIComponent(workspaceId)}`);
  }

  startWorkspace(workspaceId: string): Promise<Workspace> {
    return this.call('POST', `/workspaces/${encodeURIComponent(workspaceId)}/start`);
  }

  stopWorkspace(workspaceId: string): Promise<Workspace> {
    return this.call('POST', `/workspaces/${encodeURIComponent(workspaceId)}/stop`);
  }

  async deleteWorkspace(workspaceId: string): Promise<void> {
    await this.call('DELETE', `/workspaces/${encodeURIComponent(workspaceId)}`);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('che-launcher');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      // Backstage's convention: the status is `error.response.status`; the API's
      // `{"error": "...", "details": [...]}` body is kept in `error.body.error.message`.
      throw await ResponseError.fromResponse(response);
    }
    if (response.status === 204) {
      return undefined as T;
    }
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
