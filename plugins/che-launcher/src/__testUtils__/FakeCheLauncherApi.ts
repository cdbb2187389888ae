import type {
  CreateWorkspaceRequest,
  CreateWorkspaceResponse,
  DevfileTemplate,
  ListDevfilesResponse,
  ListWorkspacesResponse,
  Workspace,
} from '@fawkes/plugin-che-launcher-common';
import { ResponseError } from '@backstage/errors';
import type { CheLauncherApi } from '../api/CheLauncherApi';
import type { WorkspaceView } from '../components/workspaceStatus';

/**
 * An in-memory che-launcher for component tests: workspaces move one state per read
 * (Starting → Running, Stopping → Stopped), like a controller catching up, and a queued
 * error answers the next call of that method.
 */
export class FakeCheLauncherApi implements CheLauncherApi {
  workspaces: WorkspaceView[] = [];
  templates: DevfileTemplate[] = [];
  calls: { method: string; args: unknown[] }[] = [];
  /** Reads a Starting workspace needs before it runs. */
  readsToRun = 1;
  private readonly errors = new Map<string, { status: number; message: string }>();
  private readonly reads = new Map<string, number>();
  /** A start fails as the operator's FailedStart does: Starting → Failed with this message. */
  failStartWith?: string;
  /** createPolicy peruser: the create answers this existing workspace instead. */
  reuse?: string;

  failNext(method: keyof CheLauncherApi, status: number, message: string) {
    this.errors.set(method, { status, message });
  }

  private async enter(method: string, args: unknown[]) {
    this.calls.push({ method, args });
    const error = this.errors.get(method);
    if (error) {
      this.errors.delete(method);
      throw await apiError(error.status, error.message);
    }
  }

  private advance() {
    for (const w of this.workspaces) {
      const n = (this.reads.get(w.workspaceId) ?? 0) + 1;
      this.reads.set(w.workspaceId, n);
      if (w.status === 'Starting' && n >= this.readsToRun && this.failStartWith) {
        Object.assign(w, { status: 'Stopped', phase: 'Failed', statusMessage: this.failStartWith });
      } else if (w.status === 'Starting' && n >= this.readsToRun) {
        w.status = 'Running';
        w.phase = 'Running';
        w.ideUrl = `https://che.example/${w.namespace}/${w.name}/3100/`;
      } else if (w.status === 'Stopping') {
        w.status = 'Stopped';
        w.phase = 'Stopped';
      }
    }
  }

  private async find(id: string): Promise<WorkspaceView> {
    const w = this.workspaces.find(x => x.workspaceId === id);
    if (!w) throw await apiError(404, 'Workspace not found');
    return w;
  }

  add(partial: Partial<WorkspaceView> & { name: string }): WorkspaceView {
    const now = new Date().toISOString();
    const w: WorkspaceView = {
      workspaceId: `jane-workspaces.${partial.name}`,
      status: 'Stopped',
      ideUrl: null,
      devfile: { name: 'python', version: '1.0.0' },
      createdAt: now,
      lastUsed: now,
      phase: 'Stopped',
      namespace: 'jane-workspaces',
      owner: 'user:default/jane',
      ...partial,
    };
    this.workspaces.push(w);
    return w;
  }

  async listDevfiles(): Promise<ListDevfilesResponse> {
    await this.enter('listDevfiles', []);
    return { devfiles: this.templates };
  }

  async listWorkspaces(): Promise<ListWorkspacesResponse> {
    await this.enter('listWorkspaces', []);
    this.advance();
    const workspaces = this.workspaces.map(w => ({ ...w }));
    return { workspaces: workspaces as Workspace[], total: workspaces.length };
  }

  async getWorkspace(id: string): Promise<Workspace> {
    await this.enter('getWorkspace', [id]);
    return { ...(await this.find(id)) };
  }

  async createWorkspace(request: CreateWorkspaceRequest): Promise<CreateWorkspaceResponse> {
    await this.enter('createWorkspace', [request]);
    if (this.reuse) return { ...(await this.find(this.reuse)) };
    const w = this.add({
      name: request.name ?? `ws-${this.workspaces.length + 1}`,
      status: 'Starting',
      phase: 'Starting',
      entityRef: request.entityRef,
    });
    this.reads.set(w.workspaceId, -1);
    return { ...w };
  }

  async startWorkspace(id: string): Promise<Workspace> {
    await this.enter('startWorkspace', [id]);
    const w = await this.find(id);
    Object.assign(w, { status: 'Starting', phase: 'Starting', statusMessage: null });
    this.reads.set(id, -1);
    return { ...w };
  }

  async stopWorkspace(id: string): Promise<Workspace> {
    await this.enter('stopWorkspace', [id]);
    const w = await this.find(id);
    Object.assign(w, { status: 'Stopping', phase: 'Stopping' });
    return { ...w };
  }

  async deleteWorkspace(id: string): Promise<void> {
    await this.enter('deleteWorkspace', [id]);
    await this.find(id);
    this.workspaces = this.workspaces.filter(w => w.workspaceId !== id);
  }
}

/** What CheLauncherClient throws for a non-2xx answer: a ResponseError with the API's body. */
function apiError(status: number, message: string): Promise<ResponseError> {
  const body = JSON.stringify({ error: message });
  const response = {
    ok: false,
    status,
    statusText: '',
    headers: { get: (name: string) => (name.toLowerCase() === 'content-type' ? 'application/json' : null) },
    text: async () => body,
  };
  return ResponseError.fromResponse(response as unknown as Response);
}
