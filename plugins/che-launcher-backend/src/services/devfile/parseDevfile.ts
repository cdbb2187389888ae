import { InputError } from '@backstage/errors';
import { parse } from 'yaml';

/** Aliases a legitimate devfile could use; far below what an alias bomb needs. */
const MAX_ALIAS_COUNT = 50;

/** A parsed devfile: a plain JSON-compatible object. */
export type DevfileDocument = Record<string, unknown>;

/**
 * Parses devfile YAML safely: one document, YAML 1.2 core schema (no custom tags or dates),
 * duplicate keys rejected, alias expansion capped (the caller caps the size before this).
 */
export function parseDevfile(text: string): DevfileDocument {
  let value: unknown;
  try {
    value = parse(text, {
      schema: 'core',
      maxAliasCount: MAX_ALIAS_COUNT,
      uniqueKeys: true,
      prettyErrors: false,
      customTags: [],
    });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : 'unreadable';
    throw new InputError(`Invalid devfile: not valid YAML (${message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError('Invalid devfile: the document must be a YAML mapping');
  }
  // A JSON round trip leaves plain data only (no Maps, no shared references from aliases).
  return JSON.parse(JSON.stringify(value)) as DevfileDocument;
}
