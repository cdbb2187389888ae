import { BackendFeature, ServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JsonObject } from '@backstage/types';
import { devlakePlugin } from '../plugin';

export const catalogEntities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'shop-frontend', namespace: 'default', annotations: { 'devlake.apache.org/project-name': 'alpha' } },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'beta', namespace: 'default' },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'payments', namespace: 'default', annotations: { 'devlake.apache.org/project-name': 'delta' } },
    spec: { owner: 'team-a' },
  },
];

/**
 * A test backend with the devlake plugin, the given `devlake` config (plus any other root
 * config keys, such as `apiGuard`) and a mock catalog holding `catalogEntities` (or `catalog`).
 */
export async function startDevLakeBackend(
  devlake: Record<string, unknown>,
  extraFeatures: BackendFeature[] = [],
  otherConfig: JsonObject = {},
  catalog: ServiceFactory = catalogServiceMock.factory({ entities: catalogEntities }),
) {
  return startTestBackend({
    features: [
      devlakePlugin,
      ...extraFeatures,
      mockServices.rootConfig.factory({ data: { ...otherConfig, devlake: devlake as JsonObject } }),
      catalog,
    ],
  });
}
