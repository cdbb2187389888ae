import { createBackend } from '@backstage/backend-defaults';
import { cheLauncherModuleStandInCluster } from '@fawkes/che-launcher-fixtures';
import { devlakeModuleDemoDatabase } from '@fawkes/devlake-fixtures';

const backend = createBackend();

// Core: catalog, sign-in (guest provider for local user tokens), permissions.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('@backstage/plugin-permission-backend-module-allow-all-policy'));

// Fawkes plugins.
backend.add(import('@fawkes/plugin-devlake-backend'));
// Local only: generated DevLake data when devlake.database is not configured.
backend.add(devlakeModuleDemoDatabase);
backend.add(import('@fawkes/plugin-che-launcher-backend'));
// Local only: an in-process, simulated cluster (and the bundled devfiles on https://localhost:7008)
// when cheLauncher.kubernetes is not configured; a configured cluster always wins.
backend.add(cheLauncherModuleStandInCluster);
backend.add(import('@fawkes/plugin-catalog-extensions-backend'));

// catalog-extensions: let the core catalog accept `file` locations (its default is `url` only),
// so `POST /api/catalog-extensions/locations {type: file}` works for catalogExtensions.allowedFileRoots.
backend.add(import('@fawkes/plugin-catalog-backend-module-file-locations'));

backend.start();
