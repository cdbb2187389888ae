import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const APP_PORT = 3017;
export const BACKEND_PORT = 7017;

/**
 * Layered over the root app-config.yaml for the run's app build and backend: fixed ports
 * (the built app has its backend's URL baked in), apart from a developer's 3000/7007.
 */
export const e2eConfig = {
  app: { baseUrl: `http://localhost:${APP_PORT}` },
  backend: {
    baseUrl: `http://localhost:${BACKEND_PORT}`,
    listen: { port: BACKEND_PORT },
    cors: {
      origin: `http://localhost:${APP_PORT}`,
      methods: ['GET', 'HEAD', 'PATCH', 'POST', 'PUT', 'DELETE'],
      credentials: true,
    },
  },
  // A stand-in address: the run checks the link to DevLake's dashboard, it never opens it.
  devlake: { grafanaUrl: 'https://grafana.devlake.example' },
};

/** The layer as a config file, for `backstage-cli package build --config`. */
export function writeE2eConfigFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'fawkes-e2e-config-')), 'app-config.e2e.json');
  writeFileSync(file, JSON.stringify(e2eConfig));
  return file;
}
