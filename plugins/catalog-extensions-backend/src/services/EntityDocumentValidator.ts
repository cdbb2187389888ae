import {
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  DEFAULT_NAMESPACE,
  domainEntityV1alpha1Validator,
  Entity,
  FieldFormatEntityPolicy,
  groupEntityV1alpha1Validator,
  KindValidator,
  locationEntityV1alpha1Validator,
  makeValidator,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
  stringifyEntityRef,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { ValidationError } from '@fawkes/plugin-api-guard-node';
import { isMap, parseAllDocuments } from 'yaml';
import { CatalogRules } from './CatalogRules';

/** One problem in one YAML document of the target. */
export type DocumentProblem = {
  document: number;
  path: string;
  message: string;
};

const KIND_VALIDATORS: KindValidator[] = [
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
];
const BUILTIN_KINDS = ['API', 'Component', 'Domain', 'Group', 'Location', 'Resource', 'System', 'User'];
const ROOT_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'spec', 'relations', 'status']);
const NAME_FORMAT =
  'sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters in total';
const NAMESPACE_FORMAT =
  'sequences of [a-z0-9] separated by [-], at most 63 characters in total';
const TAG_FORMAT = 'sequences of [a-z0-9+#] separated by [-], at most 63 characters in total';
const PLACEHOLDER_KEYS = new Set(['$text', '$json', '$yaml']);
const MAX_YAML_ALIASES = 50;

export interface EntityDocumentValidatorOptions {
  rules: CatalogRules;
  maxDocuments: number;
  /** Kinds accepted without spec validation (installed by the adopter's own processors). */
  additionalKinds?: string[];
  /** Kinds a registered target may hold at all (catalogExtensions.allowedKinds). */
  allowedKinds: string[];
}

/**
 * Parses every YAML document of a catalog-info.yaml and checks each entity the way the core
 * catalog will: envelope and field formats (catalog-model's validators and policies), the
 * built-in kinds' schemas, and `catalog.rules`. Every problem is collected, so the caller
 * can fix the whole file at once.
 */
export class EntityDocumentValidator {
  private readonly validators = makeValidator();
  private readonly fieldFormatPolicy = new FieldFormatEntityPolicy();
  private readonly schemaPolicy = new SchemaValidEntityPolicy();

  constructor(private readonly options: EntityDocumentValidatorOptions) {}

  /** The entities of the file, or a `ValidationError` listing every problem. */
  async validate(content: Buffer, location: { type: string; target: string }): Promise<Entity[]> {
    const problems: DocumentProblem[] = [];
    const entities: Entity[] = [];
    const refs = new Map<string, number>();

    const text = content.toString('utf8');
    if (text.includes('\uFFFD') || text.includes('\0')) {
      throw invalid([{ document: 0, path: '', message: 'the file is not UTF-8 text' }]);
    }
    const documents = parseAllDocuments(text, { merge: false, uniqueKeys: true });
    const list = Array.isArray(documents) ? documents : [];
    if (list.length > this.options.maxDocuments) {
      throw invalid([
        {
          document: this.options.maxDocuments,
          path: '',
          message: `the file holds more than ${this.options.maxDocuments} documents`,
        },
      ]);
    }

    for (const [index, document] of list.entries()) {
      if (document.errors.length) {
        for (const error of document.errors) {
          const line = error.linePos?.[0];
          problems.push({
            document: index,
            path: '',
            message: `YAML syntax error${line ? ` at line ${line.line}, column ${line.col}` : ''}: ${error.message.split('\n')[0]}`,
          });
        }
        continue;
      }
      if (document.contents === null) continue; // an empty document, skipped like the catalog does
      if (!isMap(document.contents)) {
        problems.push({
          document: index,
          path: '',
          message: 'the document is not a mapping (an entity is a YAML object)',
        });
        continue;
      }
      let value: unknown;
      try {
        value = document.toJS({ maxAliasCount: MAX_YAML_ALIASES });
      } catch (error) {
        problems.push({ document: index, path: '', message: `YAML error: ${String((error as Error).message)}` });
        continue;
      }
      const found = await this.checkEntity(value as Record<string, unknown>, location);
      problems.push(...found.map(p => ({ document: index, ...p })));
      if (!found.length) {
        const entity = value as Entity;
        const ref = stringifyEntityRef({
          kind: entity.kind,
          namespace: entity.metadata.namespace ?? DEFAULT_NAMESPACE,
          name: entity.metadata.name,
        }).toLocaleLowerCase('en-US');
        const earlier = refs.get(ref);
        if (earlier !== undefined) {
          problems.push({
            document: index,
            path: 'metadata.name',
            message: `duplicate entity ${ref}, already defined in document ${earlier}`,
          });
        } else {
          refs.set(ref, index);
          entities.push(entity);
        }
      }
    }

    if (problems.length) throw invalid(problems);
    if (!entities.length) {
      throw invalid([{ document: 0, path: '', message: 'the file contains no entities' }]);
    }
    return entities;
  }

  private async checkEntity(
    raw: Record<string, unknown>,
    location: { type: string; target: string },
  ): Promise<Array<{ path: string; message: string }>> {
    const problems: Array<{ path: string; message: string }> = [];
    const add = (path: string, message: string) => problems.push({ path, message });
    const v = this.validators;

    for (const key of Object.keys(raw)) {
      if (!ROOT_FIELDS.has(key)) add(key, `unknown root field '${key}'`);
    }
    const checkString = (
      path: string,
      value: unknown,
      isValid: (value: unknown) => boolean,
      expected: string,
      required: boolean,
    ) => {
      if (value === undefined || value === null || value === '') {
        if (required) add(path, `missing required field '${path}'`);
        return;
      }
      if (typeof value !== 'string' || !isValid(value)) {
        add(path, `invalid '${path}': expected ${expected}, found ${JSON.stringify(value)}`);
      }
    };
    checkString('apiVersion', raw.apiVersion, v.isValidApiVersion, 'a group/version such as backstage.io/v1alpha1', true);
    checkString('kind', raw.kind, v.isValidKind, 'a kind such as Component', true);

    const metadata = raw.metadata;
    if (metadata === undefined || metadata === null) {
      add('metadata.name', "missing required field 'metadata.name'");
    } else if (typeof metadata !== 'object' || Array.isArray(metadata)) {
      add('metadata', "invalid 'metadata': expected an object");
    } else {
      const meta = metadata as Record<string, unknown>;
      checkString('metadata.name', meta.name, v.isValidEntityName, NAME_FORMAT, true);
      checkString('metadata.namespace', meta.namespace, v.isValidNamespace, NAMESPACE_FORMAT, false);
      this.checkStringMap(meta, 'labels', v.isValidLabelKey, v.isValidLabelValue, NAME_FORMAT, add);
      this.checkStringMap(meta, 'annotations', v.isValidAnnotationKey, v.isValidAnnotationValue, 'a string', add);
      if (meta.tags !== undefined) {
        if (!Array.isArray(meta.tags)) {
          add('metadata.tags', "invalid 'metadata.tags': expected a list");
        } else {
          meta.tags.forEach((tag, i) => {
            if (typeof tag !== 'string' || !v.isValidTag(tag)) {
              add(`metadata.tags.${i}`, `invalid 'metadata.tags.${i}': expected ${TAG_FORMAT}, found ${JSON.stringify(tag)}`);
            }
          });
        }
      }
    }
    if (raw.spec !== undefined && (typeof raw.spec !== 'object' || raw.spec === null || Array.isArray(raw.spec))) {
      add('spec', "invalid 'spec': expected an object");
    }
    if (problems.length) return problems;

    // The envelope is sound: the catalog-model policies catch what the checks above do not cover.
    const entity = raw as unknown as Entity;
    for (const policy of [this.schemaPolicy, this.fieldFormatPolicy]) {
      try {
        await policy.enforce(structuredClone(entity));
      } catch (error) {
        return [{ path: '', message: shortPolicyMessage((error as Error).message) }];
      }
    }

    const known = await this.checkKind(entity);
    if (known === 'unknown') {
      add('kind', `unknown kind '${entity.kind}' with apiVersion '${entity.apiVersion}'; the catalog knows ${[...BUILTIN_KINDS, ...(this.options.additionalKinds ?? [])].join(', ')}`);
    } else if (known !== 'ok') {
      problems.push(...known);
    }
    if (
      !problems.length &&
      !this.options.allowedKinds.some(k => k.toLocaleLowerCase('en-US') === entity.kind.toLocaleLowerCase('en-US'))
    ) {
      add('kind', `kind '${entity.kind}' may not be registered (catalogExtensions.allowedKinds: ${this.options.allowedKinds.join(', ')})`);
    }
    if (!problems.length && !this.options.rules.isAllowed(entity, location)) {
      add('kind', `kind '${entity.kind}' is not allowed by catalog.rules for this location (allowed: ${this.options.rules.allowedKinds(location).join(', ') || 'none'})`);
    }
    return problems;
  }

  private checkStringMap(
    meta: Record<string, unknown>,
    field: 'labels' | 'annotations',
    isValidKey: (value: unknown) => boolean,
    isValidValue: (value: unknown) => boolean,
    valueFormat: string,
    add: (path: string, message: string) => void,
  ) {
    const map = meta[field];
    if (map === undefined) return;
    if (typeof map !== 'object' || map === null || Array.isArray(map)) {
      add(`metadata.${field}`, `invalid 'metadata.${field}': expected an object`);
      return;
    }
    for (const [key, value] of Object.entries(map)) {
      const path = `metadata.${field}.${key}`;
      if (!isValidKey(key)) add(path, `invalid key in 'metadata.${field}': ${JSON.stringify(key)} is not a valid ${field === 'labels' ? 'label' : 'annotation'} key`);
      if (typeof value !== 'string' || !isValidValue(value)) {
        add(path, `invalid '${path}': expected ${valueFormat}, found ${JSON.stringify(value)}`);
      }
    }
  }

  /** Runs the built-in kind's schema; `unknown` when no built-in or configured kind matches. */
  private async checkKind(entity: Entity): Promise<'ok' | 'unknown' | Array<{ path: string; message: string }>> {
    const resolved = withoutPlaceholders(entity) as Entity;
    for (const validator of KIND_VALIDATORS) {
      try {
        if (await validator.check(resolved)) return 'ok';
      } catch (error) {
        return [ajvProblem((error as Error).message)];
      }
    }
    const extra = (this.options.additionalKinds ?? []).map(k => k.toLocaleLowerCase('en-US'));
    return extra.includes(entity.kind.toLocaleLowerCase('en-US')) ? 'ok' : 'unknown';
  }
}

function invalid(problems: DocumentProblem[]): ValidationError {
  const first = problems[0].message;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''}, see details)` : '';
  const where = problems.length > 1 || problems[0].document > 0 ? ` in document ${problems[0].document}` : '';
  return new ValidationError(`Invalid catalog-info.yaml: ${first}${where}${more}`, problems);
}

/** `/spec must have required property 'type' - missingProperty: type` → a field path and message. */
function ajvProblem(message: string): { path: string; message: string } {
  const match = /^(\S*) (.*?)(?: - (.*))?$/.exec(message);
  if (!match) return { path: '', message };
  const [, pointer, text, params] = match;
  const base = pointer === '<root>' ? '' : pointer.replace(/^\//, '').split('/').join('.');
  const missing = /missingProperty: (\S+)/.exec(params ?? '')?.[1];
  if (missing) {
    const path = base ? `${base}.${missing}` : missing;
    return { path, message: `missing required field '${path}'` };
  }
  const extra = /additionalProperty: (\S+)/.exec(params ?? '')?.[1];
  if (extra) {
    const path = base ? `${base}.${extra}` : extra;
    return { path, message: `unknown field '${path}'` };
  }
  return { path: base, message: `invalid '${base || '<root>'}': ${text}${params ? ` (${params})` : ''}` };
}

/** catalog-model's policy messages end with a long link; keep the useful first sentence. */
function shortPolicyMessage(message: string): string {
  return message.replace(/\s*To learn more about catalog file format.*$/, '').trim();
}

/**
 * `$text`/`$json`/`$yaml` placeholders are resolved by the catalog after reading; for
 * schema checks they stand in as a string (`$text`) or an object.
 */
function withoutPlaceholders(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPlaceholders);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 1 && PLACEHOLDER_KEYS.has(entries[0][0])) {
      return entries[0][0] === '$text' ? 'placeholder' : {};
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, withoutPlaceholders(v)]));
  }
  return value;
}
