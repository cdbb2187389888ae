import {
  DeploymentHistoryRequest,
  DeploymentHistoryResponse,
  DevLakeClient,
  DevLakeDiscoveryApi,
  DevLakeFetchApi,
  DoraMetricsRequest,
  DoraMetricsResponse,
} from '@fawkes/plugin-devlake-common';
import { ResponseError } from '@backstage/errors';
import { createApiRef } from '@backstage/frontend-plugin-api';
import { DoraSeriesRequest, DoraSeriesResponse } from './types';

/** What the devlake frontend asks the devlake backend. */
export interface DevLakeApi {
  getDoraMetrics(request: DoraMetricsRequest): Promise<DoraMetricsResponse>;
  getDoraMetricsSeries(request: DoraSeriesRequest): Promise<DoraSeriesResponse>;
  getDeploymentHistory(request: DeploymentHistoryRequest): Promise<DeploymentHistoryResponse>;
}

/** The devlake backend's API, for the frontend. */
export const devlakeApiRef = createApiRef<DevLakeApi>({ id: 'plugin.devlake.service' });

/**
 * The frontend's DevLakeApi: the `-common` DevLakeClient (discoveryApi + fetchApi, so calls
 * carry the signed-in user's token), plus the time-series route.
 */
export class DevLakeApiClient implements DevLakeApi {
  private readonly client: DevLakeClient;
  private readonly discoveryApi: DevLakeDiscoveryApi;
  private readonly fetchApi: DevLakeFetchApi;

  constructor(options: { discoveryApi: DevLakeDiscoveryApi; fetchApi: DevLakeFetchApi }) {
    this.client = new DevLakeClient(options);
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getDoraMetrics(request: DoraMetricsRequest): Promise<DoraMetricsResponse> {
    return this.client.getDoraMetrics(request);
  }

  getDeploymentHistory(request: DeploymentHistoryRequest): Promise<DeploymentHistoryResponse> {
    return this.client.getDeploymentHistory(request);
  }

  async getDoraMetricsSeries(request: DoraSeriesRequest): Promise<DoraSeriesResponse> {
    // A thin call until the -common client has the series route; errors as ResponseError.
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(request)) {
      if (value !== undefined) params.set(key, String(value));
    }
    const baseUrl = await this.discoveryApi.getBaseUrl('devlake');
    const response = await this.fetchApi.fetch(`${baseUrl}/dora-metrics/series?${params}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as DoraSeriesResponse;
  }
}
