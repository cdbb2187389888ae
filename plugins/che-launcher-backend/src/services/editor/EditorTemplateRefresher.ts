import { LoggerService } from '@backstage/backend-plugin-api';
import { isDeepStrictEqual } from 'node:util';
import { EditorUrls, managedEditorIdOf, refreshedEditorTemplateSpec } from '../../model/editorTemplate';
import { DevWorkspace } from '../../model/types';
import { CheEditorDefinitions } from './CheEditorDefinitions';
import { EditorClusterClient } from './EditorClusterClient';

/** The dashboard leaves templates younger than this alone (they were just made). */
const MIN_AGE_MS = 30_000;

/**
 * At start, as the Che dashboard's `updateEditor`: a managed editor template
 * (`components-update-policy: managed`) whose Che definition changed since (a Che upgrade)
 * gets the current one. Best effort, like the dashboard's: a failure is logged, the start goes on.
 */
export class EditorTemplateRefresher {
  constructor(
    private readonly deps: {
      client: EditorClusterClient;
      definitions: CheEditorDefinitions;
      urls: EditorUrls;
      logger: LoggerService;
      minAgeMs?: number;
    },
  ) {}

  async refresh(devWorkspace: DevWorkspace, now = new Date()): Promise<void> {
    const { client, definitions, urls, logger } = this.deps;
    const created = Date.parse(devWorkspace.metadata.creationTimestamp ?? '');
    if (!(now.getTime() - created > (this.deps.minAgeMs ?? MIN_AGE_MS))) return;
    const ref = editorContribution(devWorkspace);
    if (!ref) return;
    try {
      const template = await client.getTemplate(ref.namespace, ref.name);
      const editorId = managedEditorIdOf(template?.metadata.annotations);
      if (!template || !editorId) return;
      const editor = await definitions.find(editorId);
      if (!editor) return;
      const spec = refreshedEditorTemplateSpec(editor, urls);
      if (isDeepStrictEqual(spec, template.spec)) return;
      await client.patchTemplate(ref.namespace, ref.name, [{ op: 'replace', path: '/spec', value: spec }]);
      logger.info(`Updated editor template ${ref.namespace}/${ref.name} to Che's current definition of '${editorId}'`);
    } catch (error) {
      logger.warn(`Could not check editor template ${ref.namespace}/${ref.name} for updates: ${(error as Error).message}`);
    }
  }
}

/** The `editor` contribution's template (namespace defaults to the workspace's, as in DWO). */
function editorContribution(devWorkspace: DevWorkspace): { namespace: string; name: string } | undefined {
  for (const contribution of devWorkspace.spec.contributions ?? []) {
    const c = contribution as { name?: string; kubernetes?: { name?: string; namespace?: string } };
    if (c?.name === 'editor' && c.kubernetes?.name) {
      return { name: c.kubernetes.name, namespace: c.kubernetes.namespace || devWorkspace.metadata.namespace };
    }
  }
  return undefined;
}
