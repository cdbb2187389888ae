import devlakePlugin, { devlakeLegacyPlugin, isDevLakeAvailable, isDevLakeTeam } from './index';

describe('devlake frontend plugin', () => {
  it('provides the API, card, tabs and page for the new frontend system', () => {
    for (const id of [
      'api:devlake',
      'entity-card:devlake/dora',
      'entity-content:devlake/dora',
      'entity-content:devlake/team-dora',
      'page:devlake',
    ]) {
      expect(devlakePlugin.getExtension(id as any)).toBeDefined();
    }
  });

  it('has a legacy plugin with the same id', () => {
    expect(devlakeLegacyPlugin.getId()).toBe('devlake');
  });

  it('shows the card for components with a DevLake project and the team view on groups', () => {
    const component = (annotations?: Record<string, string>) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'svc', annotations },
    });
    expect(isDevLakeAvailable(component({ 'devlake.apache.org/project-name': 'svc' }))).toBe(true);
    expect(isDevLakeAvailable(component())).toBe(false);
    expect(isDevLakeTeam({ apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: 't' } })).toBe(true);
  });
});
