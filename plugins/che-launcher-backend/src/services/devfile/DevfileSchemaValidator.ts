import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { ValidationError, ValidationDetail } from '@fawkes/plugin-api-guard-node';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fs from 'node:fs';
import path from 'node:path';

const MAX_DETAILS = 20;

/**
 * Validates devfiles against the official Devfile JSON schemas, vendored as data per
 * schemaVersion in the package's `devfile-schemas/` folder (provenance and license there).
 */
export class DevfileSchemaValidator {
  private readonly schemaDir: string;
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();
  readonly supportedVersions: string[];

  constructor(schemaDir?: string) {
    this.schemaDir =
      schemaDir ?? resolvePackagePath('@fawkes/plugin-che-launcher-backend', 'devfile-schemas');
    this.supportedVersions = fs
      .readdirSync(this.schemaDir)
      .filter(entry => /^\d+\.\d+\.\d+$/.test(entry))
      .filter(entry => fs.existsSync(path.join(this.schemaDir, entry, 'devfile.json')))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    // The devfile schemas use escapes such as \- that are invalid in unicode-mode RegExps.
    this.ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(this.ajv);
  }

  /** Throws a 400 unless the devfile matches the schema of its own `schemaVersion`. */
  validate(devfile: Record<string, unknown>): { schemaVersion: string } {
    const schemaVersion = devfile.schemaVersion;
    if (typeof schemaVersion !== 'string' || schemaVersion.length === 0) {
      throw new ValidationError('Invalid devfile: schemaVersion is required', [
        { path: 'schemaVersion', message: 'is required and must be a string', rule: 'required' },
      ]);
    }
    if (!this.supportedVersions.includes(schemaVersion)) {
      throw new InputError(
        `Invalid devfile: unsupported schemaVersion '${truncate(schemaVersion, 40)}'; supported versions are ${this.supportedVersions.join(', ')}`,
      );
    }
    const validate = this.validatorFor(schemaVersion);
    if (!validate(devfile)) {
      throw new ValidationError(
        `Invalid devfile: it does not match the Devfile ${schemaVersion} schema`,
        toDetails(validate.errors ?? []),
      );
    }
    return { schemaVersion };
  }

  private validatorFor(version: string): ValidateFunction {
    let validate = this.compiled.get(version);
    if (!validate) {
      const file = path.join(this.schemaDir, version, 'devfile.json');
      const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
      delete schema.$id;
      validate = this.ajv.compile(schema);
      this.compiled.set(version, validate);
    }
    return validate;
  }
}

function truncate(value: string, length: number) {
  return value.length > length ? `${value.slice(0, length)}…` : value;
}

/** JSON Pointer `/components/0/container` → `components[0].container`. */
function toPath(instancePath: string): string {
  if (!instancePath) return '(root)';
  return instancePath
    .split('/')
    .slice(1)
    .map(segment => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, segment) => {
      if (/^\d+$/.test(segment)) return `${acc}[${segment}]`;
      return acc ? `${acc}.${segment}` : segment;
    }, '');
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `unknown property '${params.additionalProperty}'`;
    case 'required':
      return `missing required property '${params.missingProperty}'`;
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map(v => JSON.stringify(v)).join(', ')}`;
    default:
      return error.message ?? error.keyword;
  }
}

function toDetails(errors: ErrorObject[]): ValidationDetail[] {
  // For oneOf/anyOf, Ajv reports every branch's failures; the summary line plus the
  // branch errors are kept, duplicates removed, and the list is capped.
  const seen = new Set<string>();
  const details: ValidationDetail[] = [];
  for (const error of errors) {
    const detail = { path: toPath(error.instancePath), message: describe(error), rule: error.keyword };
    const key = `${detail.path}|${detail.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    details.push(detail);
    if (details.length >= MAX_DETAILS) break;
  }
  return details;
}
