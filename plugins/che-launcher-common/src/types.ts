/** The workspace states of the API document. */
/**
 * The API document's four states plus Che's `Failing` (a start failed, the workspace is being
 * stopped) and `Failed` (it failed and is stopped; `statusMessage` says why).
 */
export const workspaceStatuses = ['Running', 'Stopped', 'Starting', 'Stopping', 'Failing', 'Failed'] as const;

/**
 * A workspace's state. The DevWorkspace phase is mapped onto these four values:
 * Starting → Starting, Running → Running, Stopping/Failing/Terminating → Stopping,
 * Stopped/Failed/Error → Stopped; with no phase yet, `spec.started` decides
 * (true → Starting, false → Stopped), as the Che dashboard shows it. A phase the controller has
 * not caught up on follows the last start/stop request (e.g. Running with `started: false` → Stopping).
 *
 * @public
 */
export type WorkspaceStatus = (typeof workspaceStatuses)[number];

/**
 * The devfile a workspace was created from (its `metadata.name` and `metadata.version`).
 *
 * @public
 */
export interface WorkspaceDevfile {
  name: string | null;
  version: string | null;
}

/**
 * What `POST /workspaces` accepts besides the devfile source.
 *
 * @public
 */
export interface CreateWorkspaceOptions {
  /** Kubernetes namespace; default from `cheLauncher.namespaceTemplate` (`{user}-workspaces`). */
  namespace?: string;
  /** Workspace (DevWorkspace) name; default: the devfile's `metadata.name` plus a random suffix. */
  name?: string;
}

/**
 * Body of `POST /workspaces`: exactly one devfile source, `devfileUrl` (an HTTPS URL of a raw
 * Devfile 2.2.x / 2.3.0 YAML file), `template` (the name of a `cheLauncher.devfiles` golden-path
 * template) or `entityRef` (a catalog entity whose `eclipse.org/che-devfile` or
 * `eclipse.org/che-devfile-url` annotation names the devfile).
 *
 * @public
 */
export type CreateWorkspaceRequest = CreateWorkspaceOptions &
  (
    | { devfileUrl: string; template?: never; entityRef?: never }
    | { template: string; devfileUrl?: never; entityRef?: never }
    | { entityRef: string; devfileUrl?: never; template?: never }
  );

/**
 * A golden-path devfile template (`cheLauncher.devfiles`), as `GET /devfiles` lists it.
 *
 * @public
 */
export interface DevfileTemplate {
  /** The name `POST /workspaces {"template"}` and `eclipse.org/che-devfile` use. */
  name: string;
  displayName: string;
  description: string | null;
  /** HTTPS URL of the template's devfile. */
  url: string;
  tags: string[];
  /** What a workspace from the template asks for, as configured (e.g. `{ cpu: '2', memory: '4Gi' }`). */
  resources: Record<string, string>;
}

/**
 * The 200 body of `GET /devfiles`.
 *
 * @public
 */
export interface ListDevfilesResponse {
  devfiles: DevfileTemplate[];
}

/**
 * The 201 body of `POST /workspaces`.
 *
 * @public
 */
export interface CreateWorkspaceResponse {
  /** `<namespace>.<name>`: stable, unique and safe in a URL path. */
  workspaceId: string;
  name: string;
  status: WorkspaceStatus;
  /** `status.mainUrl` once running, else the Che dashboard link of the workspace. */
  ideUrl: string | null;
  devfile: WorkspaceDevfile;
}

/**
 * One workspace as listed or read.
 *
 * @public
 */
export interface Workspace extends CreateWorkspaceResponse {
  /** ISO-8601 creation time of the DevWorkspace. */
  createdAt: string;
  /** ISO-8601 time of the last create or start (`che.eclipse.org/last-updated-timestamp`). */
  lastUsed: string;
  /** The raw DevWorkspace phase (e.g. `Failed`), or null while the controller has not set one. */
  phase: string | null;
  /** The Kubernetes namespace of the workspace. */
  namespace: string;
  /** The owner's user entity ref, e.g. `user:default/jane`. */
  owner: string;
  /** The DevWorkspace's `status.message` (why it failed, what it waits for); null when none. */
  statusMessage?: string | null;
  /** The catalog entity the workspace was opened for (`POST /workspaces {"entityRef"}`), when any. */
  entityRef?: string;
}

/**
 * The 200 body of `GET /workspaces`.
 *
 * @public
 */
export interface ListWorkspacesResponse {
  workspaces: Workspace[];
  total: number;
}

/**
 * Query of `GET /workspaces`.
 *
 * @public
 */
export interface ListWorkspacesQuery {
  status?: WorkspaceStatus;
  /** Service callers only: a user entity ref whose workspaces to list. */
  owner?: string;
}
