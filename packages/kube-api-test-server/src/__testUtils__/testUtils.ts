/** Helpers shared by this package's tests (not exported from the package). */
import { ApiException, CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { KubeApiTestServer } from '../KubeApiTestServer';

export const dwRef = { group: 'workspace.devfile.io', version: 'v1alpha2', plural: 'devworkspaces' };
export const dwtRef = { group: 'workspace.devfile.io', version: 'v1alpha2', plural: 'devworkspacetemplates' };

export function clientsFor(kube: KubeApiTestServer) {
  const kc = new KubeConfig();
  kc.loadFromOptions(kube.kubeConfig());
  return { kc, custom: kc.makeApiClient(CustomObjectsApi), core: kc.makeApiClient(CoreV1Api) };
}

export function devWorkspace(
  name: string,
  opts: { started?: boolean; image?: string; labels?: Record<string, string>; endpoints?: unknown[]; template?: Record<string, unknown>; contributions?: unknown[] } = {},
) {
  return {
    apiVersion: 'workspace.devfile.io/v1alpha2',
    kind: 'DevWorkspace',
    metadata: { name, ...(opts.labels ? { labels: opts.labels } : {}) },
    spec: {
      started: opts.started ?? false,
      routingClass: 'che',
      template: {
        components: [
          {
            name: 'tools',
            container: {
              image: opts.image ?? 'quay.io/devfile/universal-developer-image:ubi8-latest',
              // A main endpoint, as the editor contributes it in Che.
              endpoints: opts.endpoints ?? [{ name: 'che-code', targetPort: 3100, attributes: { type: 'main' } }],
            },
          },
        ],
        ...opts.template,
      },
      ...(opts.contributions ? { contributions: opts.contributions } : {}),
    },
  };
}

/** Awaits a rejected client-node call and returns its code and JSON-parsed Status body. */
export async function statusOf(call: Promise<unknown>): Promise<{ code: number; body: any }> {
  try {
    await call;
  } catch (e) {
    if (!(e instanceof ApiException)) throw e;
    return { code: e.code, body: typeof e.body === 'string' ? JSON.parse(e.body) : e.body };
  }
  throw new Error('expected the call to fail');
}

/** Polls until `check` returns a value other than undefined (or throws after `timeoutMs`). */
export async function waitFor<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('waitFor timed out');
    await new Promise(r => setTimeout(r, 10));
  }
}

/** The HTTP code a client-node call ended with (200 when it succeeded). */
export async function codeOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (e) {
    if (e instanceof ApiException) return e.code;
    throw e;
  }
}
