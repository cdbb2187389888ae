import { RootConfigService } from '@backstage/backend-plugin-api';
import { readDurationMs } from '@fawkes/plugin-api-guard-node';
import path from 'node:path';

/** Kinds a developer registers; User, Group and Location only when configured. */
export const DEFAULT_ALLOWED_KINDS = ['Component', 'API', 'System', 'Resource', 'Domain'];

export interface CatalogExtensionsConfig {
  /** Absolute paths, not yet symlink-resolved. */
  allowedFileRoots: string[];
  maxDocumentSize: number;
  maxDocuments: number;
  readTimeoutMs: number;
  additionalKinds: string[];
  /** Kinds a registered target may hold (additionalKinds are added to them). */
  allowedKinds: string[];
  /** How deep `Location` entities may nest below the registered target (1: no nesting). */
  maxLocationDepth: number;
  /** Most targets read for one registration, the registered one and nested ones together. */
  maxLocationTargets: number;
  /** Longest one call to the core catalog may take. */
  catalogTimeoutMs: number;
  /** Registrations and dry runs in progress at once: in total, and per caller. */
  registrations: { maxConcurrent: number; maxConcurrentPerCaller: number };
}

export function readCatalogExtensionsConfig(
  config: RootConfigService,
  cwd: string = process.cwd(),
): CatalogExtensionsConfig {
  const section = config.getOptionalConfig('catalogExtensions');
  const positive = (key: string, fallback: number) => {
    const value = section?.getOptionalNumber(key) ?? fallback;
    if (!Number.isInteger(value) || value <= 0) {
      throw new Error(`catalogExtensions.${key} must be a positive integer, got ${value}`);
    }
    return value;
  };
  const additionalKinds = section?.getOptionalStringArray('additionalKinds') ?? [];
  return {
    allowedFileRoots: (section?.getOptionalStringArray('allowedFileRoots') ?? []).map(root =>
      path.resolve(cwd, root),
    ),
    maxDocumentSize: positive('maxDocumentSize', 1024 * 1024),
    maxDocuments: positive('maxDocuments', 500),
    // readTimeoutMs (a number of milliseconds) is the setting's older, still accepted name.
    readTimeoutMs: readDurationMs(
      config,
      config.has('catalogExtensions.readTimeout') ? 'catalogExtensions.readTimeout' : 'catalogExtensions.readTimeoutMs',
      { default: { seconds: 10 } },
    ),
    additionalKinds,
    allowedKinds: [
      ...new Set([...(section?.getOptionalStringArray('allowedKinds') ?? DEFAULT_ALLOWED_KINDS), ...additionalKinds]),
    ],
    maxLocationDepth: positive('maxLocationDepth', 3),
    maxLocationTargets: positive('maxLocationTargets', 20),
    // Sized from the measurement in the README: the largest allowed dry run takes 2-3 s alone.
    catalogTimeoutMs: readDurationMs(config, 'catalogExtensions.catalogTimeout', { default: { seconds: 20 } }),
    registrations: {
      maxConcurrent: positive('registrations.maxConcurrent', 2),
      maxConcurrentPerCaller: positive('registrations.maxConcurrentPerCaller', 1),
    },
  };
}
