import { Config } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';

interface AllowedKind {
  kind: string;
  specType?: string;
}

interface Rule {
  allow: AllowedKind[];
  locations?: Array<{ type: string; exact?: string; pattern?: string }>;
}

/** The core catalog's default when `catalog.rules` is absent. */
const DEFAULT_RULES: Rule[] = [{ allow: ['Component', 'API', 'Location'].map(kind => ({ kind })) }];

/**
 * The part of the core catalog's `catalog.rules` that applies to registered locations, checked
 * up front so that a kind the catalog would silently drop is refused with a 400 instead.
 * Rules restricted by a glob `pattern` are treated as matching: deciding them exactly is left to
 * the catalog, whose verdict then shows in `GET /locations/{id}`.
 */
export class CatalogRules {
  static fromConfig(config: Config): CatalogRules {
    if (!config.has('catalog.rules')) return new CatalogRules(DEFAULT_RULES);
    const rules = config.getConfigArray('catalog.rules').map(rule => ({
      allow: (rule.get('allow') as Array<string | { kind: string; 'spec.type'?: string }>).map(
        entry =>
          typeof entry === 'string'
            ? { kind: entry }
            : { kind: entry.kind, specType: entry['spec.type'] },
      ),
      locations: rule.getOptionalConfigArray('locations')?.map(location => ({
        type: location.getString('type'),
        exact: location.getOptionalString('exact'),
        pattern: location.getOptionalString('pattern'),
      })),
    }));
    return new CatalogRules(rules);
  }

  constructor(private readonly rules: Rule[]) {}

  isAllowed(entity: Entity, location: { type: string; target: string }): boolean {
    return this.rules.some(
      rule =>
        this.matchesLocation(rule, location) &&
        rule.allow.some(
          allowed =>
            allowed.kind.toLocaleLowerCase('en-US') === entity.kind.toLocaleLowerCase('en-US') &&
            (allowed.specType === undefined ||
              (typeof entity.spec?.type === 'string' &&
                allowed.specType.toLocaleLowerCase('en-US') ===
                  entity.spec.type.toLocaleLowerCase('en-US'))),
        ),
    );
  }

  /** Kinds some rule allows for this location, for the error message. */
  allowedKinds(location: { type: string; target: string }): string[] {
    return [
      ...new Set(
        this.rules
          .filter(rule => this.matchesLocation(rule, location))
          .flatMap(rule => rule.allow.map(a => a.kind)),
      ),
    ];
  }

  private matchesLocation(rule: Rule, location: { type: string; target: string }): boolean {
    if (!rule.locations) return true;
    return rule.locations.some(
      matcher =>
        matcher.type === location.type &&
        (matcher.exact === undefined || matcher.exact === location.target),
    );
  }
}
