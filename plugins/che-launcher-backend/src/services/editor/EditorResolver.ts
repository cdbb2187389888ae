import { LoggerService } from '@backstage/backend-plugin-api';
import { CheEditorDefinitions, EDITOR_DEFINITION_SELECTOR } from './CheEditorDefinitions';

/** The editor a workspace gets: its Che id and devfile, and where the devfile came from. */
export interface ResolvedEditor {
  id: string;
  devfile: Record<string, unknown>;
  source: 'che' | 'built-in';
}

/**
 * Che's own definition of the configured editor when the cluster has one, so workspaces follow
 * Che upgrades; the built-in definition (`cheLauncher.editor.template`) only when it has none.
 * A failure to look (403, timeout) is an error, never a silent fallback.
 */
export class EditorResolver {
  constructor(
    private readonly deps: {
      definitions: CheEditorDefinitions;
      builtIn: Record<string, unknown>;
      logger: LoggerService;
    },
  ) {}

  async resolve(editorId: string): Promise<ResolvedEditor> {
    const { definitions, builtIn, logger } = this.deps;
    const devfile = await definitions.find(editorId);
    if (devfile) return { id: editorId, devfile, source: 'che' };
    logger.warn(
      `Che has no editor definition '${editorId}' (ConfigMaps labelled ${EDITOR_DEFINITION_SELECTOR} in namespace '${definitions.namespace}'); using the built-in definition (cheLauncher.editor.template)`,
    );
    return { id: editorId, devfile: builtIn, source: 'built-in' };
  }
}
