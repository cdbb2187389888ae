import { Config } from '@backstage/config';
import type { DevfileTemplate } from '@fawkes/plugin-che-launcher-common';

/** A template name: what `eclipse.org/che-devfile` and `POST /workspaces {"template"}` use. */
const TEMPLATE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_TEMPLATES = 200;

/**
 * The golden-path devfile templates of `cheLauncher.devfiles`, read and checked once at
 * start-up (a broken entry stops the backend with the entry's index and field).
 */
export class DevfileTemplates {
  private readonly byName: Map<string, DevfileTemplate>;

  private constructor(private readonly templates: DevfileTemplate[]) {
    this.byName = new Map(templates.map(t => [t.name, t]));
  }

  static fromConfig(cheLauncherConfig: Config | undefined): DevfileTemplates {
    const entries = cheLauncherConfig?.getOptionalConfigArray('devfiles') ?? [];
    if (entries.length > MAX_TEMPLATES) {
      throw new Error(`cheLauncher.devfiles may list at most ${MAX_TEMPLATES} templates`);
    }
    const templates = entries.map((entry, index) => readTemplate(entry, `cheLauncher.devfiles[${index}]`));
    const seen = new Set<string>();
    for (const [index, t] of templates.entries()) {
      if (seen.has(t.name)) {
        throw new Error(`cheLauncher.devfiles[${index}].name '${t.name}' is listed twice`);
      }
      seen.add(t.name);
    }
    return new DevfileTemplates(templates);
  }

  /** Every template, in config order. */
  list(): DevfileTemplate[] {
    return this.templates.map(t => ({ ...t, tags: [...t.tags], resources: { ...t.resources } }));
  }

  get(name: string): DevfileTemplate | undefined {
    return this.byName.get(name);
  }
}

function readTemplate(entry: Config, at: string): DevfileTemplate {
  const name = entry.getString('name');
  if (name.length > 63 || !TEMPLATE_NAME.test(name)) {
    throw new Error(
      `${at}.name must be at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit; got '${name}'`,
    );
  }
  const url = entry.getString('url');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${at}.url is not a valid URL`);
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password) {
    throw new Error(`${at}.url must be an HTTPS URL without credentials`);
  }
  const resourcesConfig = entry.getOptionalConfig('resources');
  const resources: Record<string, string> = {};
  for (const key of resourcesConfig?.keys() ?? []) {
    const value = resourcesConfig!.get(key);
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new Error(`${at}.resources.${key} must be a string such as '2' or '4Gi'`);
    }
    resources[key] = String(value);
  }
  return {
    name,
    displayName: entry.getOptionalString('displayName') ?? name,
    description: entry.getOptionalString('description') ?? null,
    url: parsed.toString(),
    tags: entry.getOptionalStringArray('tags') ?? [],
    resources,
  };
}
