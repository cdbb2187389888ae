import { ResponseError } from '@backstage/errors';
import {
  DeploymentHistoryRequest,
  DeploymentHistoryResponse,
  DoraMetricsBatchRequest,
  DoraMetricsBatchResponse,
  DoraMetricsRequest,
  DoraMetricsResponse,
  DoraSeriesRequest,
  DoraSeriesResponse,
} from './types';

/**
 * The part of Backstage's DiscoveryApi the client needs.
 *
 * @public
 */
export interface DevLakeDiscoveryApi {
  getBaseUrl(pluginId: string): Promise<string>;
}

/**
 * The part of Backstage's FetchApi the client needs (it adds the user's token).
 *
 * @public
 */
export interface DevLakeFetchApi {
  fetch: typeof fetch;
}

/**
 * A typed client for the devlake backend plugin. Error answers are thrown as
 * `ResponseError` from `@backstage/errors`.
 *
 * @public
 */
export class DevLakeClient {
  private readonly discoveryApi: DevLakeDiscoveryApi;
  private readonly fetchApi: DevLakeFetchApi;

  constructor(options: { discoveryApi: DevLakeDiscoveryApi; fetchApi: DevLakeFetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getDoraMetrics(request: DoraMetricsRequest = {}): Promise<DoraMetricsResponse> {
    return this.get('/dora-metrics', { ...request });
  }

  /** Per-week or per-month DORA figures for charts. */
  getDoraSeries(request: DoraSeriesRequest = {}): Promise<DoraSeriesResponse> {
    return this.get('/dora-metrics/series', { ...request });
  }

  getDeploymentHistory(request: DeploymentHistoryRequest): Promise<DeploymentHistoryResponse> {
    return this.get('/deployment-history', {
      service: request.service,
      environment: request.environment,
      status: request.status,
      limit: request.limit === undefined ? undefined : String(request.limit),
      offset: request.offset === undefined ? undefined : String(request.offset),
    });
  }

  /** Many projects' metrics for one period in one request (at most 100 projects). */
  getDoraMetricsBatch(request: DoraMetricsBatchRequest): Promise<DoraMetricsBatchResponse> {
    return this.send('/dora-metrics/batch', {}, { method: 'POST', body: request });
  }

  private get<T>(path: string, query: Record<string, string | undefined>): Promise<T> {
    return this.send(path, query);
  }

  private async send<T>(
    path: string,
    query: Record<string, string | undefined>,
    post?: { method: 'POST'; body: unknown },
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('devlake');
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) params.set(key, value);
    }
    const qs = params.toString();
    const url = `${baseUrl}${path}${qs ? `?${qs}` : ''}`;
    const response = await (post
      ? this.fetchApi.fetch(url, {
          method: post.method,
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(post.body),
        })
      : this.fetchApi.fetch(url));
    if (!response.ok) {
      // Backstage's convention: the status is `error.response.status`, the plugin's
      // `{"error": "..."}` body is in the message.
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
