import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the che-launcher plugin (Eclipse Che workspaces on DevWorkspace resources). */
  cheLauncher?: {
    /**
     * How to reach the Kubernetes API of the cluster running Eclipse Che / the DevWorkspace Operator.
     * Without it the plugin starts, but every workspace route answers 503.
     */
    kubernetes?: (
      | {
          /** Use the pod's service account (in-cluster config). */
          type: 'inCluster';
        }
      | {
          /** Use a kubeconfig file. */
          type: 'kubeconfig';
          /** Path of the kubeconfig file; default: $KUBECONFIG or ~/.kube/config. */
          path?: string;
          /** Context to use; default: the file's current context. */
          context?: string;
        }
      | {
          /** Use an API server URL and a bearer token. */
          type: 'url';
          /** API server URL, e.g. https://api.cluster.example.com:6443 */
          url: string;
          /**
           * Bearer token of the service account.
           * @visibility secret
           */
          token: string;
          /**
           * Base64-encoded PEM CA bundle of the API server.
           * @visibility secret
           */
          caData?: string;
          /** Skip TLS verification (never in production). */
          skipTLSVerify?: boolean;
        }
    ) & {
      /**
       * Timeout of each Kubernetes API call: a duration ('10s', 'PT10S' or { seconds: 10 }; a plain
       * number, as older configs have it, is read as milliseconds).
       * A call that takes longer answers 504. Default 10 seconds.
       */
      requestTimeout?: HumanDuration | string;
      /**
       * Serve workspace lists, reads and the limit counts from an informer: an in-memory copy of the
       * managed DevWorkspaces kept by a cluster-wide list + watch (needs the `watch` verb on
       * devworkspaces). A caller's own writes are visible in their next read; before the first sync
       * and while the watch is broken, reads go to the API server. Default true.
       */
      informer?: {
        enabled?: boolean;
      };
    };
    /**
     * Namespace of a user's workspaces when Che has none for them yet (Che's
     * `defaultNamespace.template`; Fawkes: `che-{user}`). `{user}` is the Che username when it is
     * a plain DNS label (and, with `userName.from: entityName`, the user is in the `default`
     * entity namespace); otherwise the username made a DNS label plus a 12-hex hash of the
     * entity ref, so two users never get one name. Default `{user}-workspaces`.
     * The plugin first looks for the namespace Che made: labels
     * `app.kubernetes.io/part-of=che.eclipse.org`, `app.kubernetes.io/component=workspaces-namespace`
     * and annotation `che.eclipse.org/username=<Che username>`.
     */
    namespaceTemplate?: string;
    /**
     * Create a missing user namespace from `namespaceTemplate`, with Che's labels and username
     * annotation so Che adopts it (Che's `defaultNamespace.autoProvision`). Needs `create` on
     * namespaces. Default false: a user without a namespace gets a 404 naming it.
     */
    autoProvisionNamespace?: boolean;
    /** Eclipse Che itself. */
    che?: {
      /**
       * Che's namespace (where the CheCluster, its DevWorkspaceOperatorConfig
       * `devworkspace-config` and the editor definitions live). Every workspace gets the template
       * attribute `controller.devfile.io/devworkspace-config: {name: devworkspace-config,
       * namespace: <this>}` at create and at every start, as the dashboard sets it, so it uses
       * Che's storage, service account, project-clone image and start timeout. The editor comes
       * from the editor definitions che-operator keeps there (ConfigMaps labelled
       * `app.kubernetes.io/component=editor-definition`, `app.kubernetes.io/part-of=che.eclipse.org`;
       * needs `list` on configmaps in this namespace). Default `eclipse-che`.
       */
      namespace?: string;
      /**
       * Che's `pvcStrategy` (CheCluster `spec.devEnvironments.storage.pvcStrategy`): set as the
       * workspace's `controller.devfile.io/storage-type` when the devfile names none, at create
       * and at every start, as the dashboard does. One of `per-user`, `per-workspace`,
       * `ephemeral`, `common`, `async`. Default `per-user` (Che's default).
       */
      pvcStrategy?: string;
      /**
       * Che's plugin registry URL (the dashboard's `pluginRegistryURL`), given to editor
       * containers as `CHE_PLUGIN_REGISTRY_URL`. Unset: the variable is left out.
       */
      pluginRegistryUrl?: string;
      /** Che's in-cluster plugin registry URL, as `CHE_PLUGIN_REGISTRY_INTERNAL_URL`. */
      pluginRegistryInternalUrl?: string;
      /**
       * The Open VSX registry Che's editors install extensions from (CheCluster
       * `spec.components.pluginRegistry.openVSXURL`), as `OPENVSX_REGISTRY_URL`.
       */
      openVSXUrl?: string;
    };
    /** Where a Backstage user's Che username comes from. */
    userName?: {
      /**
       * `entityName` (default): the user entity's name. `annotation`: an annotation of the User
       * entity in the catalog (a user without it gets a 403).
       */
      from?: 'entityName' | 'annotation';
      /** The annotation for `from: annotation`. Default `che.eclipse.org/username`. */
      annotation?: string;
    };
    /** Further namespaces every user may create workspaces in (shared team namespaces). */
    allowedNamespaces?: string[];
    /**
     * Base URL of Eclipse Che, e.g. https://che.example.com. Until a workspace runs, its ideUrl is
     * `<cheUrl>/dashboard/#/ide/<namespace>/<name>` (the dashboard's IDE loader). Its origin is
     * the editor containers' `CHE_DASHBOARD_URL`, as the dashboard sets it.
     */
    cheUrl?: string;
    /** The editor contributed to every workspace. */
    editor?: {
      /**
       * Che editor id `publisher/name/version`, looked up among Che's editor definitions (see
       * `che.namespace`) at every create. Default `che-incubator/che-code/latest`.
       */
      id?: string;
      /**
       * The editor devfile (YAML) used only when Che has no definition of `id` (logged); default:
       * Che 7.89's che-code definition with its images pinned by digest (see README).
       */
      template?: string;
    };
    /** Per-user limits (the cluster does not enforce Che's own). -1 = unlimited. */
    limits?: {
      /** Workspaces a user may have, stopped or running. Default -1. */
      maxWorkspacesPerUser?: number;
      /** Workspaces a user may have Starting or Running. Default 1 (Che's default). */
      maxRunningWorkspacesPerUser?: number;
    };
    /**
     * Largest devfile accepted, in bytes (413 above). Default 245760 (240 KiB): the devfile is
     * stored in the `che.eclipse.org/devfile` annotation, and Kubernetes allows 256 KiB for all
     * annotations together; a devfile whose annotations would not fit is a 413 too.
     */
    maxDevfileSize?: number;
    /**
     * Golden-path devfile templates, served by `GET /api/che-launcher/devfiles` for the "New
     * workspace" gallery and named by `POST /workspaces {"template": "<name>"}` and by the
     * entity annotation `eclipse.org/che-devfile: <name>`. Checked at start-up.
     */
    devfiles?: Array<{
      /** The template's name: at most 63 lowercase letters, digits and '-'; unique. */
      name: string;
      /** What the gallery shows; default: the name. */
      displayName?: string;
      /** One or two sentences for the gallery. */
      description?: string;
      /**
       * HTTPS URL of the devfile (no credentials). Read through Backstage's UrlReader like any
       * devfileUrl, so its host must be allowed by `backend.reading.allow` or an integration.
       */
      url: string;
      /** Tags the gallery filters by, e.g. [python, backend]. */
      tags?: string[];
      /**
       * What a workspace from the template asks for, shown in the gallery, e.g.
       * `{ cpu: '2', memory: 4Gi, storage: 10Gi }`. Informational: the devfile's own
       * components set the actual requests and limits.
       */
      resources?: { [key: string]: string };
    }>;
    /** Timeout of reading a devfile: a duration ('10s' or { seconds: 10 }). Default 10 seconds. */
    devfileReadTimeout?: HumanDuration | string;
    /**
     * A create that fails rolls back (each delete retried up to 3 times within about a second);
     * what it still cannot remove keeps the label `che-launcher.fawkes.io/creating`, is hidden
     * from the API and is removed by this scheduled sweep (Backstage scheduler, one instance
     * at a time; each run is logged).
     */
    orphanSweep?: {
      /** How often the sweep runs. Default 5 minutes. */
      frequency?: HumanDuration | string;
      /**
       * Age after which a DevWorkspace still labelled as creating is an orphan; must exceed the
       * longest create (about 4 Kubernetes request timeouts). Default 10 minutes.
       */
      minAge?: HumanDuration | string;
    };
    /**
     * Che's `policies.create`. `perclick` (default): every `POST /workspaces` creates a new
     * workspace. `peruser` (Che's own default): when the user already has a workspace made from
     * the same devfile URL (given directly, or the URL a `template` or `entityRef` names), that
     * workspace is answered with 200 as it is, and none is created. Either way a workspace is
     * named after the devfile's `metadata.name` (sanitized as the Che dashboard does), with a
     * short suffix only when the name is taken, or `metadata.generateName` plus a suffix.
     */
    createPolicy?: 'perclick' | 'peruser';
    /**
     * Devfile content the devworkspace-operator would fetch or apply inside the cluster, where
     * `backend.reading.allow` and the plugin's checks do not reach. A refused item answers 400
     * naming its path (e.g. `components[2].kubernetes.uri`).
     */
    devfilePolicy?: {
      /**
       * `resolve` (default): `parent.uri` (absolute, or relative to the devfile) is read through
       * the UrlReader with the devfile's rules (https, `backend.reading.allow`, `maxDevfileSize`,
       * `devfileReadTimeout`) and the parent held to this policy too (at most 3 levels);
       * `refuse`: any `parent.uri` is a 400.
       */
      parentUri?: 'resolve' | 'refuse';
      /** Allow `kubernetes.uri` / `openshift.uri` components (manifests the operator downloads). Default false. */
      allowComponentUris?: boolean;
      /**
       * Allow `pod-overrides` / `container-overrides` attributes that ask for `privileged`,
       * `hostNetwork`, `hostPID`, `hostIPC`, `hostPath` volumes or running as root (`runAsUser: 0`,
       * `runAsNonRoot: false`). Default false.
       */
      allowPrivilegedOverrides?: boolean;
    };
    /** Access control. */
    access?: {
      /**
       * When true (default), users only ever reach their own workspaces and the permission policy
       * can only narrow that; when false, the policy alone decides (use the
       * `IS_WORKSPACE_OWNER` rule in conditional decisions).
       */
      ownerOnly?: boolean;
    };
  };
}
