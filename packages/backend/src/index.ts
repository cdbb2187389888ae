import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

// Core: catalog, sign-in (guest provider for local user tokens), permissions.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('@backstage/plugin-permission-backend-module-allow-all-policy'));

// Fawkes plugins.

backend.start();
