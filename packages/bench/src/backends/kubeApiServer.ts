/* eslint-disable no-console */
import { Server } from 'node:http';
import { KubeApiTestServer, applyJsonPatch, devWorkspaceResources } from '@fawkes/kube-api-test-server';
// The plugin's own builders, so the seeded DevWorkspaces carry exactly the labels and
// annotations the plugin gives the ones it creates (owner hash label, managed-by, owner ref).
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- its testUtils entry, for exactly that
import {
  buildDevWorkspace,
  defaultEditorId,
  defaultEditorTemplate,
  LABEL_CREATING,
  parseDevfile,
  startPatch,
  userNamespace,
} from '@fawkes/plugin-che-launcher-backend/testUtils';

/**
 * The Kubernetes API test server in its own process, seeded with DevWorkspaces, so the
 * benchmark's clients and the server never share an event loop. Prints one JSON line
 * `{url, token, seeded}` when ready and serves until SIGTERM. Answers the IPC message `stats`
 * with `{requests, lists, watches, other, otherKinds, openWatches}`: the requests received since the start
 * (all, DevWorkspace lists by owner as GET /workspaces makes them, watch requests, the rest) and
 * the watches open now.
 *
 * argv[2]: JSON `{ token, total, owned, owner, namespaceTemplate }`.
 */
interface Options {
  token: string;
  total: number;
  owned: number;
  owner: string;
  namespaceTemplate: string;
}

const DW = { group: 'workspace.devfile.io', version: 'v1alpha2', plural: 'devworkspaces' };
const PER_OTHER_USER = 10;

// A typical starter devfile (what a golden-path template links to).
const devfileText = `schemaVersion: 2.2.0
metadata:
  name: python-service
  version: 1.0.0
  displayName: Python service
  description: A Flask service from the golden path
  language: Python
  projectType: Python
  tags: [Python, Flask]
projects:
  - name: python-service
    git:
      remotes:
        origin: https://github.com/example/python-service.git
components:
  - name: python
    container:
      image: registry.access.redhat.com/ubi9/python-311:latest
      memoryLimit: 1Gi
      mountSources: true
      endpoints:
        - name: http
          targetPort: 8080
          exposure: public
          protocol: https
      env:
        - name: FLASK_ENV
          value: development
commands:
  - id: install
    exec:
      component: python
      commandLine: pip install -r requirements.txt
      workingDir: \${PROJECT_SOURCE}
      group: { kind: build, isDefault: true }
  - id: run
    exec:
      component: python
      commandLine: flask run --host 0.0.0.0 --port 8080
      workingDir: \${PROJECT_SOURCE}
      group: { kind: run, isDefault: true }
`;

async function main() {
  const options: Options = JSON.parse(process.argv[2]);
  const devfile = parseDevfile(devfileText);
  const editor = { id: defaultEditorId, devfile: parseDevfile(defaultEditorTemplate) };

  const owners: string[] = Array.from({ length: options.owned }, () => options.owner);
  for (let i = 0; owners.length < options.total; i++) {
    const other = `user:default/dev-${String(Math.floor(i / PER_OTHER_USER)).padStart(4, '0')}`;
    owners.push(other);
  }
  const namespaces = [...new Set(owners.map(o => userNamespace(options.namespaceTemplate, o)))];
  const kube = await KubeApiTestServer.start({
    token: options.token,
    resources: devWorkspaceResources,
    namespaces,
  });
  // The test server closes idle connections after 1 s and says so (`Keep-Alive: timeout=1`),
  // which makes Node clients drop every connection after one request. A real API server keeps
  // idle connections for minutes without such a hint; behave like one here.
  const server = (kube as unknown as { server: Server }).server;
  server.keepAliveTimeout = 0;

  const base = Date.parse('2026-11-01T00:00:00Z');
  owners.forEach((owner, i) => {
    const namespace = userNamespace(options.namespaceTemplate, owner);
    const now = new Date(base + i * 60_000);
    let body: any = buildDevWorkspace({
      devfile,
      devfileText,
      devfileUrl: 'https://github.com/example/python-service/raw/main/devfile.yaml',
      namespace,
      name: `python-service-${String(i).padStart(5, '0')}`,
      owner,
      editor,
      now,
    });
    // Complete, as the plugin's create leaves them (it drops the creating label at the end).
    delete body.metadata.labels[LABEL_CREATING];
    // A third of them running (as the controller leaves them), the rest stopped.
    if (i % 3 === 0) {
      body = applyJsonPatch(body, startPatch(body, now) as any);
      body.status = {
        phase: 'Running',
        devworkspaceId: `workspace${i.toString(16).padStart(16, '0')}`,
        mainUrl: `https://che.test/${namespace}/${body.metadata.name}/3100/`,
        message: `https://che.test/${namespace}/${body.metadata.name}/3100/`,
      };
    } else {
      body.status = { phase: 'Stopped', devworkspaceId: `workspace${i.toString(16).padStart(16, '0')}` };
    }
    kube.createObject({ ...DW, namespace }, body);
  });

  // Requests by kind since the start: the log is drained on every `stats` (it keeps only the last 10,000).
  const counts = { lists: 0, watches: 0, other: 0 };
  // The other requests by method and resource path (names and namespaces left out), to say what they are.
  const otherKinds: Record<string, number> = {};
  process.on('message', message => {
    if (message !== 'stats') return;
    for (const r of kube.requests) {
      if (r.method === 'GET' && r.query.watch) counts.watches += 1;
      // A user's workspace list selects by the owner label; other lists are scheduled tasks (the orphan sweep) or relists.
      else if (r.method === 'GET' && r.path.endsWith('/devworkspaces') && (r.query.labelSelector ?? '').includes('owner-hash=')) counts.lists += 1;
      else {
        counts.other += 1;
        const kind = `${r.method} ${r.path.replace(/\/namespaces\/[^/]+/, '/namespaces/*').replace(/^(.*\/(?:devworkspaces|devworkspacetemplates|configmaps|namespaces))\/[^/]+$/, '$1/*')}`;
        otherKinds[kind] = (otherKinds[kind] ?? 0) + 1;
      }
    }
    kube.clearRequests();
    process.send!({ requests: kube.requestsReceived, ...counts, otherKinds, openWatches: kube.openWatches() });
  });
  console.log(JSON.stringify({ url: kube.url, token: options.token, seeded: owners.length, namespaces: namespaces.length }));
  const stop = () => {
    kube.stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
