import { LoggerService } from '@backstage/backend-plugin-api';
import { CheLauncherConfig } from '../../config';
import { buildEditorTemplate } from '../../model/buildDevWorkspace';
import { EditorUrls } from '../../model/editorTemplate';
import { DevWorkspace, DevWorkspaceTemplate } from '../../model/types';
import { CheEditorDefinitions } from './CheEditorDefinitions';
import { createEditorClusterClient, EditorClusterClient } from './EditorClusterClient';
import { EditorResolver, ResolvedEditor } from './EditorResolver';
import { EditorTemplateRefresher } from './EditorTemplateRefresher';

/** The editor side of creating and starting a workspace, as the Che dashboard handles it. */
export class WorkspaceEditors {
  private readonly resolver: EditorResolver;
  private readonly refresher: EditorTemplateRefresher;

  constructor(
    private readonly deps: {
      client: EditorClusterClient;
      /** Che's namespace, where its editor definitions are. */
      cheNamespace: string;
      editorId: string;
      /** The built-in definition, for when Che has none of `editorId`. */
      builtIn: Record<string, unknown>;
      urls: EditorUrls;
      logger: LoggerService;
    },
  ) {
    const definitions = new CheEditorDefinitions({ client: deps.client, namespace: deps.cheNamespace, logger: deps.logger });
    this.resolver = new EditorResolver({ definitions, builtIn: deps.builtIn, logger: deps.logger });
    this.refresher = new EditorTemplateRefresher({ client: deps.client, definitions, urls: deps.urls, logger: deps.logger });
  }

  static fromConfig(config: CheLauncherConfig, builtIn: Record<string, unknown>, logger: LoggerService): WorkspaceEditors {
    return new WorkspaceEditors({
      client: createEditorClusterClient(config),
      cheNamespace: config.cheNamespace,
      editorId: config.editor.id,
      builtIn,
      urls: config.editorUrls,
      logger,
    });
  }

  /** The configured editor: Che's definition, else the built-in one. */
  resolve(): Promise<ResolvedEditor> {
    return this.resolver.resolve(this.deps.editorId);
  }

  /** The editor's DevWorkspaceTemplate for a created DevWorkspace. */
  template(devWorkspace: { metadata: { name: string; namespace: string; uid: string } }, editor: ResolvedEditor): DevWorkspaceTemplate {
    return buildEditorTemplate(devWorkspace, editor.devfile, { editorId: editor.id, urls: this.deps.urls });
  }

  /** Before a start: a managed editor template gets Che's current definition (best effort). */
  refresh(devWorkspace: DevWorkspace): Promise<void> {
    return this.refresher.refresh(devWorkspace);
  }
}
