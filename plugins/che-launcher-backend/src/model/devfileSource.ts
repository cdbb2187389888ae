import { parse } from 'yaml';
import { ANNOTATION_DEVFILE_SOURCE } from './constants';
import { DevWorkspace } from './types';

/**
 * The devfile URL a DevWorkspace was made from, read back from `che.eclipse.org/devfile-source`
 * (`factory.params: url=<devfile URL>`, as the plugin writes it); undefined when it has none.
 */
export function devfileUrlOf(devWorkspace: DevWorkspace): string | undefined {
  const source = devWorkspace.metadata.annotations?.[ANNOTATION_DEVFILE_SOURCE];
  if (!source) return undefined;
  let params: unknown;
  try {
    params = (parse(source) as { factory?: { params?: unknown } } | null)?.factory?.params;
  } catch {
    return undefined;
  }
  return typeof params === 'string' && params.startsWith('url=') ? params.slice('url='.length) : undefined;
}
