import { InputError } from '@backstage/errors';
import { ValidationError } from '@fawkes/plugin-api-guard-node';
import { DevfilePolicyConfig } from '../../config';
import { restrictedAttributesIn } from '../../model/buildDevWorkspace';
import { checkDevfileUrl } from './checkDevfileUrl';
import { ClusterSideItem, clusterSideItems, parentUriOf } from './clusterSideContent';
import { DevfileReader } from './DevfileReader';
import { DevfileSchemaValidator } from './DevfileSchemaValidator';
import { DevfileDocument, parseDevfile } from './parseDevfile';

/** Parents of parents read at most this deep. */
const MAX_PARENT_DEPTH = 3;

/** A devfile as read (its text goes into the DevWorkspace's annotation) and parsed. */
export interface LoadedDevfile {
  text: string;
  document: DevfileDocument;
}

/**
 * Reads a devfile URL and accepts the devfile only when the plugin may create from it: valid
 * for its schema, no restricted attribute, and nothing the operator would fetch or apply inside
 * the cluster that `cheLauncher.devfilePolicy` does not allow. A `parent.uri` is read the way
 * the devfile is (UrlReader, `backend.reading.allow`, size and time caps) and held to the same
 * rules, or refused.
 */
export class DevfileLoader {
  constructor(
    private readonly deps: {
      reader: DevfileReader;
      schemaValidator: DevfileSchemaValidator;
      policy: DevfilePolicyConfig;
    },
  ) {}

  async load(devfileUrl: string): Promise<LoadedDevfile> {
    const text = await this.deps.reader.read(devfileUrl);
    const document = this.accept(text);
    await this.checkClusterSide(document, devfileUrl, '', 1);
    return { text, document };
  }

  private accept(text: string): DevfileDocument {
    const document = parseDevfile(text);
    this.deps.schemaValidator.validate(document);
    const restricted = restrictedAttributesIn(document);
    if (restricted.length > 0) {
      throw new InputError(
        `Invalid devfile: attribute(s) ${restricted.map(a => `'${a}'`).join(', ')} may not be set through che-launcher`,
      );
    }
    return document;
  }

  /** `at` names where a parent's problems are, e.g. `parent.uri → `. */
  private async checkClusterSide(document: DevfileDocument, url: string, at: string, depth: number): Promise<void> {
    const { policy } = this.deps;
    const refused = clusterSideItems(document).filter(item =>
      item.kind === 'componentUri' ? !policy.allowComponentUris : !policy.allowPrivilegedOverrides,
    );
    const parentUri = parentUriOf(document);
    if (parentUri !== undefined && policy.parentUri === 'refuse') {
      refused.push({ kind: 'componentUri', path: 'parent.uri', what: 'a parent devfile from a URL' });
    }
    if (refused.length > 0) throw refusal(refused, at);
    if (parentUri === undefined) return;
    if (depth > MAX_PARENT_DEPTH) {
      throw new InputError(`Invalid devfile: ${at}parent.uri: parents nest deeper than ${MAX_PARENT_DEPTH}`);
    }
    const parentAt = `${at}parent.uri → `;
    const parent = await this.readParent(parentUri, url, `${at}parent.uri`);
    await this.checkClusterSide(parent.document, parent.url, parentAt, depth + 1);
  }

  private async readParent(uri: string, base: string, path: string): Promise<{ url: string; document: DevfileDocument }> {
    try {
      // The devfile spec allows a parent URI relative to the devfile's own location.
      const url = checkDevfileUrl(resolveUri(uri, base));
      return { url, document: this.accept(await this.deps.reader.read(url)) };
    } catch (error) {
      // Same status as for the devfile itself; the message says it was the parent.
      if (error instanceof InputError) {
        error.message = `Invalid devfile: ${path}: ${error.message.replace(/^Invalid (devfile|devfileUrl): /, '')}`;
      } else if (error instanceof Error) {
        error.message = `${path}: ${error.message}`;
      }
      throw error;
    }
  }
}

function resolveUri(uri: string, base: string): string {
  try {
    return new URL(uri, base).toString();
  } catch {
    throw new InputError('not a valid URL');
  }
}

const ALLOWED_BY: Record<string, string> = {
  'parent.uri': 'cheLauncher.devfilePolicy.parentUri: resolve',
  componentUri: 'cheLauncher.devfilePolicy.allowComponentUris',
  privilegedOverride: 'cheLauncher.devfilePolicy.allowPrivilegedOverrides',
};

function refusal(items: ClusterSideItem[], at: string): ValidationError {
  const details = items.map(item => ({
    path: `${at}${item.path}`,
    message: `asks the operator for ${item.what} inside the cluster, which is not allowed (${ALLOWED_BY[item.path === 'parent.uri' ? 'parent.uri' : item.kind]})`,
  }));
  return new ValidationError(
    `Invalid devfile: ${details.map(d => `${d.path} ${d.message}`).join('; ')}`,
    details,
  );
}
