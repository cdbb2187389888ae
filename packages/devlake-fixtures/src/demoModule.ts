import { createBackendModule } from '@backstage/backend-plugin-api';
import { devlakeDatabaseExtensionPoint } from '@fawkes/plugin-devlake-node';
import { createDemoDevLakeDatabase } from './demo';

/**
 * Local development only: when `devlake.database` is not configured, the devlake plugin reads
 * a generated, DevLake-shaped SQLite database in memory (several projects and teams, six
 * months of deployments, pull requests and incidents ending today), so `yarn start` serves
 * real numbers. Used by packages/backend and by the plugin's own tests.
 */
export const devlakeModuleDemoDatabase = createBackendModule({
  pluginId: 'devlake',
  moduleId: 'demo-database',
  register(env) {
    env.registerInit({
      deps: { database: devlakeDatabaseExtensionPoint },
      async init({ database }) {
        database.setFallbackDatabase(async () => {
          const { knex, summary } = await createDemoDevLakeDatabase();
          return {
            knex,
            dialect: 'sqlite',
            description: `GENERATED DEMO DATA (projects ${summary.projects.join(', ')}; teams ${summary.teams.join(', ')}; ${summary.deployments} deployments ${summary.from.slice(0, 10)}..${summary.to.slice(0, 10)})`,
          };
        });
      },
    });
  },
});
