import { buildApp } from './appServer';
import { writeE2eConfigFile } from './e2eConfig';

/**
 * One production build of packages/app for every browser test file of this package: Jest runs
 * this once before them; `buildApp` in the files then reuses it.
 */
export default async function globalSetup() {
  const { seconds, reused } = await buildApp([writeE2eConfigFile()]);
  process.env.FAWKES_E2E_APP_BUILT = reused ? 'reused' : seconds.toFixed(0);
}
