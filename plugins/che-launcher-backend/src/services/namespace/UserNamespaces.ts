import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { V1Namespace } from '@kubernetes/client-node';
import { kubernetesCodeOf } from '../kubernetes/errors';
import { NamespaceClient } from '../kubernetes/NamespaceClient';
import {
  ANNOTATION_CHE_USERNAME,
  ANNOTATION_OWNER,
  CHE_NAMESPACE_SELECTOR,
  COMPONENT_WORKSPACES_NAMESPACE,
  LABEL_COMPONENT,
  LABEL_PART_OF,
  PART_OF_CHE,
} from '../../model/constants';
import { normalizeEntityRef, userNamespace } from '../../model/names';
import { CheUserNames } from './CheUserNames';

const CACHE_TTL_MS = 30_000;

type Lookup =
  | { state: 'found'; name: string }
  | { state: 'taken'; name: string }
  | { state: 'missing'; name: string };

/**
 * Finds a user's namespace the way Che does: a namespace labelled as a Che workspaces
 * namespace and annotated with the user's Che username; else the one the template names,
 * unless it is marked for another user; else, when allowed, creates it from the template with
 * Che's labels and annotation (so Che adopts it) plus the plugin's owner annotation. A namespace
 * annotated for another Che user, or owned by another Backstage user, is never used.
 */
export class UserNamespaces {
  private readonly cache = new Map<string, { name: string; expires: number }>();
  /** Lookups under way, shared by concurrent callers (a list asks once per workspace it holds). */
  private readonly inFlight = new Map<string, Promise<Lookup>>();

  constructor(
    private readonly deps: {
      client: NamespaceClient;
      userNames: CheUserNames;
      template: string;
      autoProvision: boolean;
      allowedNamespaces: string[];
      logger: LoggerService;
    },
  ) {}

  /** The user's namespace for a create: found, or provisioned; 404/409 otherwise. */
  async forCreate(owner: string): Promise<string> {
    const lookup = await this.lookup(owner);
    if (lookup.state === 'found') return lookup.name;
    if (lookup.state === 'taken') {
      throw new ConflictError(
        `Namespace '${lookup.name}' belongs to another user; ask a cluster administrator`,
      );
    }
    if (!this.deps.autoProvision) {
      throw new NotFoundError(
        `Namespace '${lookup.name}' does not exist or has no DevWorkspace support; ask a cluster administrator`,
      );
    }
    return this.provision(owner, lookup.name);
  }

  /** The user's own namespace when there is one (nothing is created). */
  async find(owner: string): Promise<string | undefined> {
    const lookup = await this.lookup(owner);
    return lookup.state === 'found' ? lookup.name : undefined;
  }

  /** Whether a workspace in `namespace` may count as `owner`'s (their own or a shared one). */
  async isUsersNamespace(owner: string, namespace: string): Promise<boolean> {
    if (this.deps.allowedNamespaces.includes(namespace)) return true;
    const lookup = await this.lookup(owner);
    return lookup.state === 'found' && lookup.name === namespace;
  }

  private async lookup(owner: string): Promise<Lookup> {
    const key = normalizeEntityRef(owner);
    const cached = this.cache.get(key);
    if (cached && cached.expires > Date.now()) return { state: 'found', name: cached.name };
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.lookUp(owner, key).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async lookUp(owner: string, key: string): Promise<Lookup> {
    const cheUserName = await this.deps.userNames.of(owner);
    const labelled = await this.deps.client.list(CHE_NAMESPACE_SELECTOR);
    const mine = labelled
      .filter(ns => ns.metadata?.annotations?.[ANNOTATION_CHE_USERNAME] === cheUserName)
      .filter(ns => !ownedByAnother(ns, owner))
      .map(ns => ns.metadata!.name!)
      .sort();
    let lookup: Lookup;
    if (mine.length > 0) {
      lookup = { state: 'found', name: mine[0] };
    } else {
      const name = userNamespace(this.deps.template, owner, cheUserName);
      const existing = await this.deps.client.get(name);
      if (!existing) lookup = { state: 'missing', name };
      else if (markedForAnother(existing, owner, cheUserName)) lookup = { state: 'taken', name };
      else lookup = { state: 'found', name };
    }
    if (lookup.state === 'found') this.cache.set(key, { name: lookup.name, expires: Date.now() + CACHE_TTL_MS });
    return lookup;
  }

  private async provision(owner: string, name: string): Promise<string> {
    const cheUserName = await this.deps.userNames.of(owner);
    try {
      await this.deps.client.create({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name,
          labels: { [LABEL_PART_OF]: PART_OF_CHE, [LABEL_COMPONENT]: COMPONENT_WORKSPACES_NAMESPACE },
          annotations: { [ANNOTATION_CHE_USERNAME]: cheUserName, [ANNOTATION_OWNER]: owner },
        },
      });
      this.deps.logger.info(`Provisioned Che namespace ${name} for ${owner} (Che user '${cheUserName}')`);
    } catch (error) {
      // Made meanwhile (another replica, Che itself): use it only if it is this user's.
      if (kubernetesCodeOf(error) !== 409) throw error;
      this.cache.delete(normalizeEntityRef(owner));
      const again = await this.lookup(owner);
      if (again.state !== 'found') {
        throw new ConflictError(`Namespace '${name}' belongs to another user; ask a cluster administrator`);
      }
      return again.name;
    }
    this.cache.set(normalizeEntityRef(owner), { name, expires: Date.now() + CACHE_TTL_MS });
    return name;
  }
}

function ownedByAnother(ns: V1Namespace, owner: string): boolean {
  const marked = ns.metadata?.annotations?.[ANNOTATION_OWNER];
  return marked !== undefined && normalizeEntityRef(marked) !== normalizeEntityRef(owner);
}

function markedForAnother(ns: V1Namespace, owner: string, cheUserName: string): boolean {
  const username = ns.metadata?.annotations?.[ANNOTATION_CHE_USERNAME];
  return (username !== undefined && username !== cheUserName) || ownedByAnother(ns, owner);
}
