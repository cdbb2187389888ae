import { ideUrlOf, toWorkspace, toWorkspaceStatus } from './toWorkspace';
import { DevWorkspace } from './types';

function dw(started: boolean, phase?: string, mainUrl?: string): DevWorkspace {
  return {
    apiVersion: 'workspace.devfile.io/v1alpha2',
    kind: 'DevWorkspace',
    metadata: {
      name: 'ws',
      namespace: 'alice-workspaces',
      creationTimestamp: '2026-11-27T10:00:00Z',
      annotations: {
        'che.eclipse.org/last-updated-timestamp': '2026-11-27T11:00:00.000Z',
        'che-launcher.fawkes.io/owner': 'user:default/alice',
        'che-launcher.fawkes.io/devfile-name': 'goldenpath-python',
        'che-launcher.fawkes.io/devfile-version': '1.0.0',
      },
    },
    spec: { started },
    status: phase || mainUrl ? { phase, mainUrl } : undefined,
  };
}

describe('toWorkspaceStatus', () => {
  it.each([
    [true, 'Starting', 'Starting'],
    [true, 'Running', 'Running'],
    [false, 'Stopping', 'Stopping'],
    [false, 'Stopped', 'Stopped'],
    [true, 'Failing', 'Failing'],
    // A restart requested while the phase still reads Failed.
    [true, 'Failed', 'Starting'],
    [true, 'Error', 'Failed'],
    [true, 'Terminating', 'Stopping'],
    [true, undefined, 'Starting'],
    [false, undefined, 'Stopped'],
    [true, 'SomethingNew', 'Starting'],
    [false, 'Running', 'Stopping'],
    [false, 'Starting', 'Stopping'],
    [true, 'Stopped', 'Starting'],
    [false, 'Failed', 'Failed'],
    [false, 'Failing', 'Failing'],
    [false, 'Error', 'Failed'],
    [true, 'Stopping', 'Starting'],
  ])('started=%s phase=%s → %s', (started, phase, status) => {
    expect(toWorkspaceStatus(dw(started as boolean, phase as string | undefined))).toBe(status);
  });
});

describe('ideUrlOf', () => {
  it('is mainUrl once running', () => {
    expect(ideUrlOf(dw(true, 'Running', 'https://che.test/a/ws/3100/'), 'https://che.example.com')).toBe(
      'https://che.test/a/ws/3100/',
    );
  });

  it('is the dashboard link before that', () => {
    expect(ideUrlOf(dw(true, 'Starting', 'https://old/'), 'https://che.example.com')).toBe(
      'https://che.example.com/dashboard/#/ide/alice-workspaces/ws',
    );
    expect(ideUrlOf(dw(false), undefined)).toBeNull();
  });
});

describe('toWorkspace', () => {
  it('maps a DevWorkspace to the API body', () => {
    expect(toWorkspace(dw(true, 'Running', 'https://che.test/x/'), 'https://che.example.com')).toEqual({
      workspaceId: 'alice-workspaces.ws',
      name: 'ws',
      status: 'Running',
      ideUrl: 'https://che.test/x/',
      devfile: { name: 'goldenpath-python', version: '1.0.0' },
      createdAt: '2026-11-27T10:00:00Z',
      lastUsed: '2026-11-27T11:00:00.000Z',
      phase: 'Running',
      statusMessage: null,
      namespace: 'alice-workspaces',
      owner: 'user:default/alice',
    });
  });
});
