import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { createHash, randomInt } from 'node:crypto';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** The name pattern the Che dashboard accepts for a DevWorkspace. */
const DEVWORKSPACE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const MAX_NAME_LENGTH = 63;
/** Che's `generateSuffix`: `-` and 4 random characters. */
const SUFFIX_LENGTH = 4;
const SUFFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const FALLBACK_NAME = 'workspace';

/** Why a requested workspace name is not a valid DevWorkspace name, or undefined when it is. */
export function workspaceNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > MAX_NAME_LENGTH) return `must be at most ${MAX_NAME_LENGTH} characters`;
  if (!DEVWORKSPACE_NAME.test(name)) {
    return "must consist of lowercase letters, digits, '-' and '.', and start and end with a letter or digit";
  }
  return undefined;
}

export function isDnsLabel(value: string): boolean {
  return value.length <= MAX_NAME_LENGTH && DNS_LABEL.test(value);
}

/**
 * Makes any text a DNS label: lowercase, invalid characters replaced by '-', runs of '-'
 * collapsed, leading and trailing non-alphanumerics stripped.
 */
export function sanitizeName(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
}

function trimToLength(value: string, length: number): string {
  return value.slice(0, length).replace(/[^a-z0-9]+$/, '');
}

/**
 * A devfile's name made a DevWorkspace name as the Che dashboard's `sanitizeName` does: a valid
 * name stays as it is; otherwise lowercased, leading and trailing non-alphanumerics stripped and
 * every character other than `a-z0-9-.` made `-`. Beyond the dashboard, cut to 63 characters and
 * (when dots still make it invalid, e.g. `a..b`) reduced to a DNS label, so Kubernetes accepts it.
 */
export function cheWorkspaceName(raw: string): string {
  let name = raw;
  if (!DEVWORKSPACE_NAME.test(name)) {
    name = name
      .toLowerCase()
      .replace(/^[^a-z0-9]+/, '')
      .replace(/[^a-z0-9]+$/, '')
      .replace(/[^-.a-z0-9]/g, '-');
  }
  name = trimToLength(name, MAX_NAME_LENGTH);
  if (workspaceNameProblem(name) !== undefined) name = trimToLength(sanitizeName(name), MAX_NAME_LENGTH);
  return name || FALLBACK_NAME;
}

/** `<base>-<4 random [a-z0-9]>` (Che's `generateWorkspaceName`), the base cut to stay within 63. */
export function generateWorkspaceName(base: string | undefined): string {
  const cleanBase = trimToLength(cheWorkspaceName(base ?? ''), MAX_NAME_LENGTH - SUFFIX_LENGTH - 1) || FALLBACK_NAME;
  let suffix = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) {
    suffix += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  }
  return `${cleanBase}-${suffix}`;
}

/**
 * The names to try, in order, for a workspace made from a devfile: its `metadata.name` as it is
 * (sanitized), then with a short suffix when that name is taken; with `metadata.generateName`,
 * always that prefix plus a suffix (as Kubernetes' and Che's generateName do).
 */
export function devfileWorkspaceNames(metadata: { name?: unknown; generateName?: unknown }): (attempt: number) => string {
  if (typeof metadata.generateName === 'string' && metadata.generateName.trim() !== '') {
    const prefix = metadata.generateName;
    return () => generateWorkspaceName(prefix);
  }
  const base = typeof metadata.name === 'string' ? metadata.name : '';
  const plain = cheWorkspaceName(base);
  return attempt => (attempt === 1 ? plain : generateWorkspaceName(base));
}

function shortHash(value: string, length: number): string {
  return createHash('sha256').update(value).digest('hex').slice(0, length);
}

/** Entity refs are case-insensitive in Backstage; compare and hash them in this form. */
export function normalizeEntityRef(entityRef: string): string {
  return entityRef.toLocaleLowerCase('en-US');
}

/**
 * The label value selecting one owner's workspaces: a hash, because an entity ref such as
 * `user:default/jane` cannot be a label value. The ref itself is kept in an annotation.
 *
 * @public
 */
export function ownerLabelValue(userEntityRef: string): string {
  return shortHash(normalizeEntityRef(userEntityRef), 40);
}

/** Length of the hash that keeps `{user}` injective. */
const NAMESPACE_HASH_LENGTH = 12;
const HASHED_SUFFIX = new RegExp(`-[0-9a-f]{${NAMESPACE_HASH_LENGTH}}$`);

/**
 * The user's namespace from the template (`{user}-workspaces` by default), injective over
 * users: `{user}` is the Che username as it is when that is a plain DNS label that fits, cannot
 * be mistaken for a hashed form, and (when the Che username is the entity name) the user is in
 * the `default` entity namespace; otherwise it is the username made a DNS label plus `-` and a
 * 12-hex hash of the full entity ref. So `user:default/jane` → `jane-workspaces`, while
 * `user:other/jane`, `user:default/jane.doe` and a user literally named like a hashed form all
 * get hashed names. (Whoever the namespace then belongs to is also checked on the cluster.)
 *
 * @public
 */
export function userNamespace(
  template: string,
  userEntityRef: string,
  cheUserName: string = parseEntityRef(userEntityRef).name,
): string {
  const ref = parseEntityRef(userEntityRef);
  const budget = MAX_NAME_LENGTH - (template.length - '{user}'.length);
  if (budget < NAMESPACE_HASH_LENGTH + 6) {
    throw new Error(`cheLauncher.namespaceTemplate '${template}' leaves too little room for the user name`);
  }
  const nameIsUserName = cheUserName === ref.name;
  // Entity refs are case-insensitive: `Jane` and `jane` are one user, with one namespace.
  const candidate = nameIsUserName ? cheUserName.toLocaleLowerCase('en-US') : cheUserName;
  const plain =
    DNS_LABEL.test(candidate) &&
    candidate.length <= budget &&
    !HASHED_SUFFIX.test(candidate) &&
    (!nameIsUserName || ref.namespace.toLocaleLowerCase('en-US') === 'default');
  let user = candidate;
  if (!plain) {
    const hash = shortHash(normalizeEntityRef(userEntityRef), NAMESPACE_HASH_LENGTH);
    user = `${trimToLength(sanitizeName(cheUserName), budget - hash.length - 1) || 'user'}-${hash}`;
  }
  return template.replace('{user}', user);
}

/** Namespaces no user may put a workspace into, whatever the configuration says. */
export function isSystemNamespace(namespace: string): boolean {
  return (
    ['default', 'openshift', 'eclipse-che', 'devworkspace-controller'].includes(namespace) ||
    namespace.startsWith('kube-') ||
    namespace.startsWith('openshift-')
  );
}

/** A workspace's public id: `<namespace>.<name>` (a namespace never contains a dot). */
export function toWorkspaceId(namespace: string, name: string): string {
  return `${namespace}.${name}`;
}

/** Splits a workspace id; undefined when it is not exactly a valid namespace and name. */
export function parseWorkspaceId(
  workspaceId: string,
): { namespace: string; name: string } | undefined {
  const dot = workspaceId.indexOf('.');
  if (dot <= 0) return undefined;
  const namespace = workspaceId.slice(0, dot);
  const name = workspaceId.slice(dot + 1);
  if (!isDnsLabel(namespace) || workspaceNameProblem(name) !== undefined) return undefined;
  return { namespace, name };
}

/** `user:default/jane` (or `jane`, defaulting kind and namespace) → normalized user entity ref; 400 otherwise. */
export function parseOwnerRef(owner: string): string {
  const invalid = new InputError('Invalid owner: expected a user entity ref such as user:default/jane');
  let ref;
  try {
    ref = parseEntityRef(owner, { defaultKind: 'user', defaultNamespace: 'default' });
  } catch {
    throw invalid;
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== 'user') throw invalid;
  return normalizeEntityRef(stringifyEntityRef(ref));
}

const INVALID_NAMESPACE =
  "Invalid namespace: must be at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit";

/** 400 for a requested workspace name or namespace the cluster would refuse. */
export function assertRequestedNames(request: { name?: string; namespace?: string }): void {
  if (request.name !== undefined) {
    const problem = workspaceNameProblem(request.name);
    if (problem) throw new InputError(`Invalid name: ${problem}`);
  }
  if (request.namespace !== undefined && !isDnsLabel(request.namespace)) {
    throw new InputError(INVALID_NAMESPACE);
  }
}
