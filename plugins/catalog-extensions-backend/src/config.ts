import { RootConfigService } from '@backstage/backend-plugin-api';
import { readDurationMs } from '@fawkes/plugin-api-guard-node';
import path from 'node:path';

export interface CatalogExtensionsConfig {
  /** Absolute paths, not yet symlink-resolved. */
  allowedFileRoots: string[];
  maxDocumentSize: number;
  maxDocuments: number;
  readTimeoutMs: number;
  additionalKinds: string[];
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
    additionalKinds: section?.getOptionalStringArray('additionalKinds') ?? [],
  };
}
