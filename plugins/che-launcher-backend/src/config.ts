import { Config, ConfigReader } from '@backstage/config';
import type { KubeConfig } from '@kubernetes/client-node';
import { readDurationMs } from '@fawkes/plugin-api-guard-node';
import { CheUserNameSource } from './services/namespace/CheUserNames';
import { defaultEditorId, defaultEditorTemplate } from './model/defaultEditor';
import { EditorUrls } from './model/editorTemplate';

export type KubernetesConnectionConfig =
  | { type: 'inCluster' }
  | { type: 'kubeconfig'; path?: string; context?: string }
  | { type: 'url'; url: string; token: string; caData?: string; skipTLSVerify?: boolean }
  /** Supplied by a backend module (cheLauncherClusterExtensionPoint), never read from config. */
  | { type: 'supplied'; kubeConfig: KubeConfig };

/** The plugin's settings, with defaults applied. */
export interface CheLauncherConfig {
  kubernetes?: KubernetesConnectionConfig;
  requestTimeoutMs: number;
  namespaceTemplate: string;
  allowedNamespaces: string[];
  cheUrl?: string;
  editor: { id: string; template: string };
  limits: { maxWorkspacesPerUser: number; maxRunningWorkspacesPerUser: number };
  maxDevfileSize: number;
  devfileReadTimeoutMs: number;
  ownerOnly: boolean;
  /** Che's `policies.create`: a new workspace per request, or the user's existing one per devfile URL. */
  createPolicy: CreatePolicy;
  /** What a devfile may ask the operator to fetch or apply inside the cluster. */
  devfilePolicy: DevfilePolicyConfig;
  /** Che's own namespace (CheCluster, operator config, editor definitions). */
  cheNamespace: string;
  /** The Che URLs the editor containers get, as the dashboard sets them. */
  editorUrls: EditorUrls;
  /** Che's `pvcStrategy`: the storage type of workspaces whose devfile names none. */
  storageType: string;
  /** Create the user's namespace from the template when Che has not made it yet. */
  autoProvisionNamespace: boolean;
  /** Where a Backstage user's Che username comes from. */
  userName: CheUserNameSource;
  /** The scheduled sweep of DevWorkspaces that failed creates left behind. */
  orphanSweep: { frequencyMs: number; minAgeMs: number };
  /** Serve reads from a DevWorkspace informer (list + watch). */
  informer: { enabled: boolean };
}

function readKubernetes(config: Config): KubernetesConnectionConfig | undefined {
  const kube = config.getOptionalConfig('kubernetes');
  if (!kube) return undefined;
  const type = kube.getString('type');
  switch (type) {
    case 'inCluster':
      return { type };
    case 'kubeconfig':
      return {
        type,
        path: kube.getOptionalString('path'),
        context: kube.getOptionalString('context'),
      };
    case 'url':
      return {
        type,
        url: kube.getString('url'),
        token: kube.getString('token'),
        caData: kube.getOptionalString('caData'),
        skipTLSVerify: kube.getOptionalBoolean('skipTLSVerify'),
      };
    default:
      throw new Error(
        `cheLauncher.kubernetes.type must be one of inCluster, kubeconfig, url; got '${type}'`,
      );
  }
}

function readLimit(config: Config, key: string, fallback: number): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < -1) {
    throw new Error(`cheLauncher.${key} must be an integer >= -1 (-1 = unlimited)`);
  }
  return value;
}

export type CreatePolicy = 'perclick' | 'peruser';

function readCreatePolicy(config: Config): CreatePolicy {
  const policy = config.getOptionalString('createPolicy') ?? 'perclick';
  if (policy !== 'perclick' && policy !== 'peruser') {
    throw new Error(`cheLauncher.createPolicy must be one of perclick, peruser; got '${policy}'`);
  }
  return policy;
}

/** `cheLauncher.devfilePolicy`; everything the operator would fetch or apply unchecked is refused by default. */
export interface DevfilePolicyConfig {
  /** `resolve`: read `parent.uri` through the UrlReader with the devfile's rules; `refuse`: 400. */
  parentUri: 'resolve' | 'refuse';
  /** Allow `kubernetes.uri` / `openshift.uri` components. */
  allowComponentUris: boolean;
  /** Allow pod-overrides / container-overrides asking for privileged, host namespaces, hostPath or root. */
  allowPrivilegedOverrides: boolean;
}

function readDevfilePolicy(config: Config): DevfilePolicyConfig {
  const parentUri = config.getOptionalString('devfilePolicy.parentUri') ?? 'resolve';
  if (parentUri !== 'resolve' && parentUri !== 'refuse') {
    throw new Error(`cheLauncher.devfilePolicy.parentUri must be one of resolve, refuse; got '${parentUri}'`);
  }
  return {
    parentUri,
    allowComponentUris: config.getOptionalBoolean('devfilePolicy.allowComponentUris') ?? false,
    allowPrivilegedOverrides: config.getOptionalBoolean('devfilePolicy.allowPrivilegedOverrides') ?? false,
  };
}

/** DWO's storage types (Che's `pvcStrategy` values). */
const STORAGE_TYPES = ['per-user', 'per-workspace', 'ephemeral', 'common', 'async'];

function readStorageType(config: Config): string {
  const pvcStrategy = config.getOptionalString('che.pvcStrategy') ?? 'per-user';
  if (!STORAGE_TYPES.includes(pvcStrategy)) {
    throw new Error(`cheLauncher.che.pvcStrategy must be one of ${STORAGE_TYPES.join(', ')}; got '${pvcStrategy}'`);
  }
  return pvcStrategy;
}

function readUrl(config: Config, key: string): string | undefined {
  const value = config.getOptionalString(key);
  if (value === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new Error(`cheLauncher.${key} must be an http(s) URL`);
  }
  return value;
}

function originOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).origin : undefined;
  } catch {
    return undefined;
  }
}

/** The dashboard's environment of editor containers; CHE_DASHBOARD_URL is Che's origin. */
function readEditorUrls(config: Config): EditorUrls {
  return {
    dashboardUrl: originOf(config.getOptionalString('cheUrl')),
    pluginRegistryUrl: readUrl(config, 'che.pluginRegistryUrl'),
    pluginRegistryInternalUrl: readUrl(config, 'che.pluginRegistryInternalUrl'),
    openVSXUrl: readUrl(config, 'che.openVSXUrl'),
  };
}

function readUserName(config: Config): CheUserNameSource {
  const from = config.getOptionalString('userName.from') ?? 'entityName';
  if (from === 'entityName') return { from };
  if (from === 'annotation') {
    return { from, annotation: config.getOptionalString('userName.annotation') ?? 'che.eclipse.org/username' };
  }
  throw new Error(`cheLauncher.userName.from must be one of entityName, annotation; got '${from}'`);
}

export function readCheLauncherConfig(rootConfig: Config): CheLauncherConfig {
  const config = rootConfig.getOptionalConfig('cheLauncher') ?? new ConfigReader({});
  return readFrom(config);
}

function readFrom(config: Config): CheLauncherConfig {
  const namespaceTemplate = config.getOptionalString('namespaceTemplate') ?? '{user}-workspaces';
  if (!namespaceTemplate.includes('{user}')) {
    throw new Error("cheLauncher.namespaceTemplate must contain '{user}'");
  }
  const cheUrl = config.getOptionalString('cheUrl')?.replace(/\/+$/, '');
  // The devfile is stored in an annotation: the default leaves 16 KiB of Kubernetes' 256 KiB
  // total annotation limit for the others.
  const maxDevfileSize = config.getOptionalNumber('maxDevfileSize') ?? 240 * 1024;
  if (!Number.isInteger(maxDevfileSize) || maxDevfileSize <= 0) {
    throw new Error('cheLauncher.maxDevfileSize must be a positive integer (bytes)');
  }
  return {
    kubernetes: readKubernetes(config),
    requestTimeoutMs: readDurationMs(config, 'kubernetes.requestTimeout', { default: { seconds: 10 } }),
    namespaceTemplate,
    allowedNamespaces: config.getOptionalStringArray('allowedNamespaces') ?? [],
    cheUrl,
    editor: {
      id: config.getOptionalString('editor.id') ?? defaultEditorId,
      template: config.getOptionalString('editor.template') ?? defaultEditorTemplate,
    },
    limits: {
      maxWorkspacesPerUser: readLimit(config, 'limits.maxWorkspacesPerUser', -1),
      maxRunningWorkspacesPerUser: readLimit(config, 'limits.maxRunningWorkspacesPerUser', 1),
    },
    maxDevfileSize,
    devfileReadTimeoutMs: readDurationMs(config, 'devfileReadTimeout', { default: { seconds: 10 } }),
    ownerOnly: config.getOptionalBoolean('access.ownerOnly') ?? true,
    createPolicy: readCreatePolicy(config),
    devfilePolicy: readDevfilePolicy(config),
    cheNamespace: config.getOptionalString('che.namespace') ?? 'eclipse-che',
    editorUrls: readEditorUrls(config),
    storageType: readStorageType(config),
    autoProvisionNamespace: config.getOptionalBoolean('autoProvisionNamespace') ?? false,
    userName: readUserName(config),
    orphanSweep: {
      frequencyMs: readDurationMs(config, 'orphanSweep.frequency', { default: { minutes: 5 } }),
      minAgeMs: readDurationMs(config, 'orphanSweep.minAge', { default: { minutes: 10 } }),
    },
    informer: { enabled: config.getOptionalBoolean('kubernetes.informer.enabled') ?? true },
  };
}
