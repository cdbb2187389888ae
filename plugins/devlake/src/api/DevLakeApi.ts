import {
  DeploymentHistoryRequest,
  DeploymentHistoryResponse,
  DevLakeClient,
  DevLakeDiscoveryApi,
  DevLakeFetchApi,
  DoraMetricsBatchRequest,
  DoraMetricsBatchResponse,
  DoraMetricsRequest,
  DoraMetricsResponse,
  DoraSeriesRequest,
  DoraSeriesResponse,
} from '@fawkes/plugin-devlake-common';
import { createApiRef } from '@backstage/frontend-plugin-api';

/**
 * What the devlake frontend asks the devlake backend.
 *
 * @public
 */
export interface DevLakeApi {
  getDoraMetrics(request: DoraMetricsRequest): Promise<DoraMetricsResponse>;
  /** Many projects' metrics in one request (at most 100 projects). */
  getDoraMetricsBatch(request: DoraMetricsBatchRequest): Promise<DoraMetricsBatchResponse>;
  getDoraSeries(request: DoraSeriesRequest): Promise<DoraSeriesResponse>;
  getDeploymentHistory(request: DeploymentHistoryRequest): Promise<DeploymentHistoryResponse>;
}

/**
 * The devlake backend's API, for the frontend.
 *
 * @public
 */
export const devlakeApiRef = createApiRef<DevLakeApi>({ id: 'plugin.devlake.service' });

/**
 * The frontend's DevLakeApi: the `-common` DevLakeClient with the app's discoveryApi and
 * fetchApi, so calls carry the signed-in user's token.
 *
 * @public
 */
export class DevLakeApiClient implements DevLakeApi {
  private readonly client: DevLakeClient;

  constructor(options: { discoveryApi: DevLakeDiscoveryApi; fetchApi: DevLakeFetchApi }) {
    // The client throws ResponseError, which keeps the status and headers the UI needs
    // (a 429's Retry-After).
    this.client = new DevLakeClient(options);
  }

  getDoraMetrics(request: DoraMetricsRequest): Promise<DoraMetricsResponse> {
    return this.client.getDoraMetrics(request);
  }

  getDoraMetricsBatch(request: DoraMetricsBatchRequest): Promise<DoraMetricsBatchResponse> {
    return this.client.getDoraMetricsBatch(request);
  }

  getDeploymentHistory(request: DeploymentHistoryRequest): Promise<DeploymentHistoryResponse> {
    return this.client.getDeploymentHistory(request);
  }

  getDoraSeries(request: DoraSeriesRequest): Promise<DoraSeriesResponse> {
    return this.client.getDoraSeries(request);
  }
}
