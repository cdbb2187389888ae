import { createBackendModule } from '@backstage/backend-plugin-api';
import { createDemoDevLakeDatabase } from '@fawkes/devlake-fixtures';
import { devlakeDatabaseExtensionPoint } from '@fawkes/plugin-devlake-backend';

/**
 * Local development only: when `devlake.database` is not configured, the devlake plugin reads
 * a generated, DevLake-shaped SQLite database in memory (several projects and teams, six
 * months of deployments, pull requests and incidents), so `yarn start` serves real numbers.
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
