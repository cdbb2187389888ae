import { createBackendModule } from '@backstage/backend-plugin-api';
import { createDemoDevLakeDatabase } from '@fawkes/devlake-fixtures';
import { devlakeDatabaseExtensionPoint } from '../extensions';

/** What packages/backend does for local development: a module supplies the generated demo. */
export const demoModule = createBackendModule({
  pluginId: 'devlake',
  moduleId: 'test-demo-database',
  register(env) {
    env.registerInit({
      deps: { database: devlakeDatabaseExtensionPoint },
      async init({ database }) {
        database.setFallbackDatabase(async () => ({
          ...(await createDemoDevLakeDatabase()),
          dialect: 'sqlite',
          description: 'generated demo data',
        }));
      },
    });
  },
});
