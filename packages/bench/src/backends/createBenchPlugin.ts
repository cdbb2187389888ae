import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { apiGuardServiceRef } from '@fawkes/plugin-api-guard-node';
import Router from 'express-promise-router';

function trivialRouter() {
  const router = Router();
  router.get('/ping', (_req, res) => {
    res.json({ ok: true });
  });
  return router;
}

/** The guarded route: the Fawkes guard in front (auth, per-principal limit, error bodies). */
export const guardedBenchPlugin = createBackendPlugin({
  pluginId: 'bench-guarded',
  register(env) {
    env.registerInit({
      deps: { guard: apiGuardServiceRef },
      async init({ guard }) {
        guard.mount(trivialRouter());
      },
    });
  },
});

/** The baseline: the same route behind Backstage's own credentials barrier only. */
export const plainBenchPlugin = createBackendPlugin({
  pluginId: 'bench-plain',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter },
      async init({ httpRouter }) {
        httpRouter.use(trivialRouter());
      },
    });
  },
});
