import { parse } from 'yaml';

/**
 * What in a devfile the devworkspace-operator would fetch or apply inside the cluster, where
 * `backend.reading.allow` and the plugin's checks do not reach.
 */
export interface ClusterSideItem {
  kind: 'componentUri' | 'privilegedOverride';
  /** Where it is, e.g. `components[2].kubernetes.uri`. */
  path: string;
  /** What it asks for, for the message. */
  what: string;
}

type Json = Record<string, unknown>;

const asRecord = (value: unknown): Json =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** `parent.uri` when the devfile has one. */
export function parentUriOf(devfile: Json): string | undefined {
  const uri = asRecord(devfile.parent).uri;
  return typeof uri === 'string' ? uri : undefined;
}

/** Every component URI and every privileged pod/container override in the devfile. */
export function clusterSideItems(devfile: Json): ClusterSideItem[] {
  const items: ClusterSideItem[] = [];
  asArray(devfile.components).forEach((raw, i) => {
    const component = asRecord(raw);
    for (const type of ['kubernetes', 'openshift']) {
      if (typeof asRecord(component[type]).uri === 'string') {
        items.push({ kind: 'componentUri', path: `components[${i}].${type}.uri`, what: `a ${type} manifest from a URL` });
      }
    }
    items.push(...overridesIn(asRecord(component.attributes), `components[${i}].attributes`));
  });
  items.push(...overridesIn(asRecord(devfile.attributes), 'attributes'));
  items.push(...overridesIn(asRecord(asRecord(devfile.metadata).attributes), 'metadata.attributes'));
  return items;
}

function overridesIn(attributes: Json, at: string): ClusterSideItem[] {
  const found: Array<[string, string]> = [];
  const pod = decoded(attributes['pod-overrides']);
  if (pod !== undefined) podSpecProblems(asRecord(asRecord(pod).spec), `${at}.pod-overrides.spec`, found);
  const container = decoded(attributes['container-overrides']);
  if (container !== undefined) containerProblems(asRecord(container), `${at}.container-overrides`, found);
  return found.map(([path, what]) => ({ kind: 'privilegedOverride', path, what }));
}

/** DWO reads overrides as JSON; a string holding YAML or JSON is read the same way here. */
function decoded(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return parse(value);
  } catch {
    return undefined;
  }
}

function podSpecProblems(spec: Json, at: string, found: Array<[string, string]>) {
  for (const key of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (spec[key] === true) found.push([`${at}.${key}`, `${key}: true`]);
  }
  asArray(spec.volumes).forEach((volume, i) => {
    if (asRecord(volume).hostPath !== undefined) found.push([`${at}.volumes[${i}].hostPath`, 'a hostPath volume']);
  });
  rootProblems(asRecord(spec.securityContext), `${at}.securityContext`, found);
  for (const list of ['containers', 'initContainers']) {
    asArray(spec[list]).forEach((c, i) => containerProblems(asRecord(c), `${at}.${list}[${i}]`, found));
  }
}

function containerProblems(container: Json, at: string, found: Array<[string, string]>) {
  const securityContext = asRecord(container.securityContext);
  if (securityContext.privileged === true) found.push([`${at}.securityContext.privileged`, 'privileged: true']);
  rootProblems(securityContext, `${at}.securityContext`, found);
}

function rootProblems(securityContext: Json, at: string, found: Array<[string, string]>) {
  if (securityContext.runAsUser === 0) found.push([`${at}.runAsUser`, 'running as root (runAsUser: 0)']);
  if (securityContext.runAsNonRoot === false) found.push([`${at}.runAsNonRoot`, 'running as root (runAsNonRoot: false)']);
}
