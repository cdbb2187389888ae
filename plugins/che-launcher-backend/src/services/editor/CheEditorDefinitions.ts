import { LoggerService } from '@backstage/backend-plugin-api';
import { editorIdOf } from '../../model/editorTemplate';
import { parseDevfile } from '../devfile/parseDevfile';
import { EditorClusterClient } from './EditorClusterClient';

/**
 * The labels of the ConfigMap che-operator keeps Che's editor definitions in
 * (`editors-definitions` in the CheCluster's namespace); the dashboard lists them by these.
 */
export const EDITOR_DEFINITION_SELECTOR =
  'app.kubernetes.io/component=editor-definition,app.kubernetes.io/part-of=che.eclipse.org';

/** Che's editor definitions: every data entry of the labelled ConfigMaps is one editor devfile. */
export class CheEditorDefinitions {
  constructor(
    private readonly deps: { client: EditorClusterClient; namespace: string; logger: LoggerService },
  ) {}

  get namespace(): string {
    return this.deps.namespace;
  }

  async list(): Promise<Record<string, unknown>[]> {
    const { client, namespace, logger } = this.deps;
    const editors: Record<string, unknown>[] = [];
    for (const configMap of await client.listConfigMaps(namespace, EDITOR_DEFINITION_SELECTOR)) {
      for (const [key, text] of Object.entries(configMap.data ?? {})) {
        try {
          editors.push(parseDevfile(text));
        } catch (error) {
          // As the dashboard does: one unreadable entry does not hide the others.
          logger.warn(
            `Skipping Che editor definition '${key}' of ConfigMap ${namespace}/${configMap.metadata?.name}: ${(error as Error).message}`,
          );
        }
      }
    }
    return editors;
  }

  /** The first definition whose `publisher/name/version` is `editorId`. */
  async find(editorId: string): Promise<Record<string, unknown> | undefined> {
    return (await this.list()).find(editor => editorIdOf(editor) === editorId);
  }
}
