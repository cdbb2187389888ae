import { InputError } from '@backstage/errors';
import { isNode, parseDocument, visit } from 'yaml';

/** Aliases a legitimate devfile could use; far below what an alias bomb needs. */
const MAX_ALIAS_COUNT = 50;

/** The YAML 1.2 core schema's own tags; a devfile may spell them out (`!!str 1`), nothing else. */
const CORE_TAGS = new Set(
  ['str', 'map', 'seq', 'int', 'float', 'bool', 'null'].map(t => `tag:yaml.org,2002:${t}`),
);

/** A tag as the author would write it: `!!js/function`, `!foo`. */
function tagAsWritten(tag: string): string {
  return tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
}

/** A parsed devfile: a plain JSON-compatible object. */
export type DevfileDocument = Record<string, unknown>;

/**
 * Parses devfile YAML safely: one document, YAML 1.2 core schema (no custom tags or dates),
 * duplicate keys rejected, alias expansion capped (the caller caps the size before this).
 *
 * @public
 */
export function parseDevfile(text: string): DevfileDocument {
  let value: unknown;
  try {
    const document = parseDocument(text, {
      schema: 'core',
      uniqueKeys: true,
      prettyErrors: false,
      customTags: [],
    });
    if (document.errors.length > 0) throw document.errors[0];
    // The parser resolves unknown tags to plain strings with a warning, and knows some YAML 1.1
    // tags (`!!binary`, `!!set`) even in the core schema: refuse every tag outside the core one.
    let customTag: string | undefined;
    visit(document, (_key, node) => {
      if (isNode(node) && node.tag && !CORE_TAGS.has(node.tag)) {
        customTag = node.tag;
        return visit.BREAK;
      }
      return undefined;
    });
    if (customTag !== undefined) {
      throw new InputError(
        `Invalid devfile: custom YAML tag '${tagAsWritten(customTag)}' is not allowed`,
      );
    }
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof InputError) throw error;
    const message = error instanceof Error ? error.message.split('\n')[0] : 'unreadable';
    throw new InputError(`Invalid devfile: not valid YAML (${message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError('Invalid devfile: the document must be a YAML mapping');
  }
  // A JSON round trip leaves plain data only (no Maps, no shared references from aliases).
  return JSON.parse(JSON.stringify(value)) as DevfileDocument;
}
