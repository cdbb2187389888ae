import { LoggerService } from '@backstage/backend-plugin-api';
import { DevWorkspaceClient } from '../kubernetes/DevWorkspaceClient';
import { editorTemplateName, editorTemplateOf } from '../../model/buildDevWorkspace';
import { ANNOTATION_LAST_UPDATED, LABEL_CREATING, MANAGED_SELECTOR } from '../../model/constants';
import { ownerOf } from '../../model/toWorkspace';
import { DevWorkspace } from '../../model/types';

export interface OrphanCleanerOptions {
  /** Attempts per delete during a rollback (the first included). */
  rollbackAttempts: number;
  /** Delay before the second attempt; doubled for each further one. */
  rollbackRetryDelayMs: number;
  /** A DevWorkspace still labelled "creating" this long after its creation is an orphan. */
  orphanMinAgeMs: number;
  /** The Kubernetes request timeout: how late a timed-out create may still be committed. */
  requestTimeoutMs: number;
}

/**
 * Keeps the promise "no half-made workspaces": rolls back a failed create (retrying each delete
 * within a bound), and sweeps, on a schedule, the DevWorkspaces that failed creates left behind
 * when even the retries failed (they keep the `creating` label, which only a completed create
 * removes).
 */
export class OrphanCleaner {
  constructor(
    private readonly deps: {
      client: DevWorkspaceClient;
      editorDevfile: Record<string, unknown>;
      logger: LoggerService;
      options: OrphanCleanerOptions;
    },
  ) {}

  /** Removes a DevWorkspace and its editor template; true when nothing is left. */
  async rollback(devWorkspace: DevWorkspace): Promise<boolean> {
    const { namespace, name } = devWorkspace.metadata;
    const { client, logger, editorDevfile } = this.deps;
    const workspaceGone = await this.withRetries(`delete DevWorkspace ${namespace}/${name}`, () =>
      client.delete(namespace, name),
    );
    // Owner-reference GC removes the template too; deleting it directly does not wait for it.
    const templateName = editorTemplateOf(devWorkspace) ?? editorTemplateName(editorDevfile, name);
    const templateGone = await this.withRetries(
      `delete DevWorkspaceTemplate ${namespace}/${templateName}`,
      () => client.deleteTemplate(namespace, templateName),
    );
    if (!workspaceGone) {
      logger.error(
        `Rollback failed: DevWorkspace ${namespace}/${name} is left behind; the orphan sweep will remove it`,
      );
    } else if (!templateGone) {
      logger.warn(
        `Rollback: editor template ${namespace}/${templateName} is left to garbage collection`,
      );
    }
    return workspaceGone;
  }

  /**
   * After a create that got no answer (timeout, reset) the DevWorkspace may still appear: the
   * API server can commit it after the client gave up. Looks for it now and twice more later,
   * and removes it if it is the one that create made (same owner and timestamp).
   */
  async removeAfterUnansweredCreate(namespace: string, name: string, owner: string, createdAt: Date) {
    const timeout = this.deps.options.requestTimeoutMs;
    const retryDelays = [timeout, 3 * timeout];
    const attempt = async (): Promise<void> => {
      if (await this.removeIfCreatedBy(namespace, name, owner, createdAt)) return;
      const delay = retryDelays.shift();
      if (delay !== undefined) {
        setTimeout(() => void attempt(), delay).unref();
      }
    };
    await attempt();
  }

  /**
   * One sweep: every DevWorkspace of the plugin that still carries the `creating` label longer
   * than `orphanMinAgeMs` after its creation is removed. Logged; never throws.
   */
  async sweep(now = new Date()): Promise<{ removed: string[]; failed: string[] }> {
    const { client, logger, options } = this.deps;
    const removed: string[] = [];
    const failed: string[] = [];
    let candidates: DevWorkspace[];
    try {
      candidates = await client.list(`${MANAGED_SELECTOR},${LABEL_CREATING}`);
    } catch (error) {
      logger.warn(`Orphan sweep could not list DevWorkspaces: ${describe(error)}`);
      return { removed, failed };
    }
    for (const item of candidates) {
      const { namespace, name, creationTimestamp, deletionTimestamp } = item.metadata;
      const created = Date.parse(creationTimestamp ?? '');
      if (deletionTimestamp || !(now.getTime() - created >= options.orphanMinAgeMs)) continue;
      logger.warn(`Orphan sweep: removing DevWorkspace ${namespace}/${name} left by a failed create`);
      if (await this.rollback(item)) removed.push(`${namespace}/${name}`);
      else failed.push(`${namespace}/${name}`);
    }
    logger.info(
      `Orphan sweep: ${candidates.length} DevWorkspace(s) still creating, removed ${removed.length}${failed.length ? `, could not remove ${failed.join(', ')}` : ''}`,
    );
    return { removed, failed };
  }

  /** true when the DevWorkspace is that create's and was removed. */
  private async removeIfCreatedBy(namespace: string, name: string, owner: string, createdAt: Date) {
    try {
      const existing = await this.deps.client.get(namespace, name);
      if (
        existing &&
        ownerOf(existing) === owner &&
        existing.metadata.annotations?.[ANNOTATION_LAST_UPDATED] === createdAt.toISOString()
      ) {
        this.deps.logger.warn(`Removing DevWorkspace ${namespace}/${name} left by a failed create`);
        return await this.rollback(existing);
      }
    } catch (error) {
      this.deps.logger.warn(
        `Could not check for a half-created DevWorkspace ${namespace}/${name} (${describe(error)}); the orphan sweep will remove it if present`,
      );
    }
    return false;
  }

  /** Runs a delete up to `rollbackAttempts` times with doubling delays; true once it succeeded. */
  private async withRetries(what: string, remove: () => Promise<boolean>): Promise<boolean> {
    const { rollbackAttempts, rollbackRetryDelayMs } = this.deps.options;
    for (let attempt = 1; ; attempt++) {
      try {
        await remove();
        return true;
      } catch (error) {
        if (attempt >= rollbackAttempts) {
          this.deps.logger.warn(`Rollback: ${what} failed ${attempt} time(s): ${describe(error)}`);
          return false;
        }
        await new Promise(resolve => setTimeout(resolve, rollbackRetryDelayMs * 2 ** (attempt - 1)));
      }
    }
  }
}

/** The error's message and, for Kubernetes failures, the upstream cause (safe to log). */
export function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
