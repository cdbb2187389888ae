import cheLauncherPlugin from '../index';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { KubeApiTestServer, devWorkspaceResources } from '@fawkes/kube-api-test-server';
import { createOpenApiResponseChecker } from '@fawkes/plugin-api-guard-node/testUtils';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { loadOpenApiDocument } from '../schema/openapi';
import { FixtureFile, FIXTURE_HOST, serveDevfiles } from './devfileHost';

export const KUBE_TOKEN = 'test-token';
export const goldenDevfile = fs.readFileSync(
  // eslint-disable-next-line no-restricted-syntax -- test fixture next to the sources
  path.join(__dirname, '../__fixtures__/goldenpath-python.yaml'),
  'utf8',
);

export const devfileUrl = (file: string) => `https://${FIXTURE_HOST}/${file}`;

export const DW = { group: 'workspace.devfile.io', version: 'v1alpha2', plural: 'devworkspaces' };
export const DWT = { ...DW, plural: 'devworkspacetemplates' };

export const user = (name: string) => mockCredentials.user.header(`user:default/${name}`);
export const service = () => mockCredentials.service.header();

/** Every answer the tests receive is checked against the plugin's OpenAPI document. */
export const checkResponse = createOpenApiResponseChecker(loadOpenApiDocument(), {
  basePath: '/api/che-launcher',
});

/**
 * supertest on `server` (full paths, `/api/che-launcher/...`), every response checked against
 * the OpenAPI document: an undocumented status or a body that does not match fails the test.
 */
export function checked(server: any) {
  const agent = request(server);
  return {
    get: (url: string) => agent.get(url).expect(checkResponse),
    post: (url: string) => agent.post(url).expect(checkResponse),
    delete: (url: string) => agent.delete(url).expect(checkResponse),
  };
}

export async function startKube(namespaces: string[], controller = { startDelayMs: 1500, stopDelayMs: 300 }) {
  return KubeApiTestServer.start({
    token: KUBE_TOKEN,
    resources: devWorkspaceResources,
    namespaces,
    controller,
  });
}

/** A test backend with the che-launcher plugin pointed at the kube test server. */
export async function startCheLauncher(options: {
  kube?: KubeApiTestServer;
  files?: Record<string, FixtureFile>;
  cheLauncher?: Record<string, unknown>;
  /** Other root config keys (e.g. `catalog` for a real catalog in `features`). */
  config?: Record<string, unknown>;
  features?: any[];
}) {
  const { kube } = options;
  await serveDevfiles(options.files ?? {});
  const backend = await startTestBackend({
    features: [
      cheLauncherPlugin,
      mockServices.rootConfig.factory({
        data: {
          ...options.config,
          backend: { reading: { allow: [{ host: FIXTURE_HOST }, { host: 'raw.githubusercontent.com' }] } },
          apiGuard: { rateLimit: { user: { limit: 100000 }, service: { limit: 100000 } } },
          cheLauncher: {
            ...(kube
              ? {
                  kubernetes: {
                    type: 'url',
                    url: kube.url,
                    token: KUBE_TOKEN,
                    skipTLSVerify: true,
                    requestTimeout: 2000,
                  },
                }
              : {}),
            cheUrl: 'https://che.example.com',
            ...options.cheLauncher,
          },
        },
      }),
      ...(options.features ?? []),
    ],
  });
  return backend;
}

/** What {@link useCheLauncher} hands a test file once both servers run. */
export interface CheLauncherUnderTest {
  kube: KubeApiTestServer;
  server: any;
}

/**
 * A describe block's kube test server (with `namespaces`) and a che-launcher backend on it:
 * started before its tests (`backend` gives the backend's options, knowing the kube server),
 * handed to `started`, and both stopped after them.
 */
export function useCheLauncher(
  options: {
    namespaces: string[];
    controller?: Parameters<typeof startKube>[1];
    backend?: (kube: KubeApiTestServer) => Omit<Parameters<typeof startCheLauncher>[0], 'kube'>;
  },
  started: (env: CheLauncherUnderTest) => void,
) {
  let kube: KubeApiTestServer | undefined;
  let backend: Awaited<ReturnType<typeof startCheLauncher>> | undefined;
  beforeAll(async () => {
    kube = await startKube(options.namespaces, options.controller);
    backend = await startCheLauncher({ kube, ...options.backend?.(kube) });
    started({ kube, server: backend.server });
  });
  afterAll(async () => {
    await backend?.stop();
    await kube?.stop();
  });
}

/** Polls `check` until it returns a truthy value (or fails after `timeoutMs`). */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

/** The kube test server's stored objects, loosely typed for assertions. */
export function objectsOf(kube: KubeApiTestServer, query: Parameters<KubeApiTestServer['objects']>[0]): any[] {
  return kube.objects(query);
}
