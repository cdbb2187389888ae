import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const APP_PORT = 3017;
export const BACKEND_PORT = 7017;
/** The che-launcher stand-in's bundled devfile host (app-config.yaml: 7008). */
export const DEVFILE_PORT = 7018;
const LOCAL_DEVFILE_HOST = 'localhost:7008';

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
  cheLauncherStandIn: { devfilePort: DEVFILE_PORT },
};

/** The layer as a config file, for `backstage-cli package build --config`. */
export function writeE2eConfigFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'fawkes-e2e-config-')), 'app-config.e2e.json');
  writeFileSync(file, JSON.stringify(e2eConfig));
  return file;
}

/**
 * The repository's app-config.yaml with the stand-in's devfile host moved to DEVFILE_PORT (its
 * template URLs and `backend.reading.allow` entry), for a backend that reads the bundled
 * devfiles next to a developer's own backend on the default ports.
 */
export function writeE2eAppConfigFile(appConfigPath: string): string {
  const text = readFileSync(appConfigPath, 'utf8');
  if (!text.includes(LOCAL_DEVFILE_HOST)) {
    throw new Error(`${appConfigPath} no longer names the stand-in devfile host ${LOCAL_DEVFILE_HOST}`);
  }
  const file = join(mkdtempSync(join(tmpdir(), 'fawkes-e2e-config-')), 'app-config.che.yaml');
  writeFileSync(file, text.split(LOCAL_DEVFILE_HOST).join(`localhost:${DEVFILE_PORT}`));
  return file;
}
