import { useApi } from '@backstage/frontend-plugin-api';
import { Button, Cell, CellText, ColumnConfig, Flex, Skeleton, Table, Text } from '@backstage/ui';
import { useMemo, useState } from 'react';
import { cheLauncherApiRef } from '../api/CheLauncherApi';
import { CheErrorAlert } from './CheErrorAlert';
import { NewWorkspaceDialog } from './NewWorkspaceDialog';
import { StatusChip } from './StatusChip';
import { useWorkspaces } from './useWorkspaces';
import { WorkspaceAction, WorkspaceActions } from './WorkspaceActions';
import { absoluteTime, relativeTime, WorkspaceView } from './workspaceStatus';

type Row = WorkspaceView & { id: string };

/** Newest first (the API's order is the cluster's), then by name. */
function newestFirst(a: WorkspaceView, b: WorkspaceView): number {
  return b.createdAt.localeCompare(a.createdAt) || a.name.localeCompare(b.name);
}

/** The "My workspaces" page: the user's workspaces, their states and what can be done with them. */
export function MyWorkspacesPage(props: { minDelayMs?: number; maxDelayMs?: number }) {
  const api = useApi(cheLauncherApiRef);
  const state = useWorkspaces(props);
  const [creating, setCreating] = useState(false);
  const [pending, setPending] = useState<Record<string, WorkspaceAction>>({});
  const [actionError, setActionError] = useState<unknown>();

  const act = async (workspace: WorkspaceView, action: WorkspaceAction) => {
    setActionError(undefined);
    setPending(p => ({ ...p, [workspace.workspaceId]: action }));
    try {
      if (action === 'start') await api.startWorkspace(workspace.workspaceId);
      else if (action === 'stop') await api.stopWorkspace(workspace.workspaceId);
      else await api.deleteWorkspace(workspace.workspaceId);
    } catch (error) {
      setActionError(error);
    } finally {
      setPending(p => {
        const { [workspace.workspaceId]: _done, ...rest } = p;
        return rest;
      });
      await state.refresh();
    }
  };

  const columns = useMemo<ColumnConfig<Row>[]>(
    () => [
      {
        id: 'name',
        label: 'Workspace',
        isRowHeader: true,
        cell: w => (
          <CellText
            title={w.name}
            description={w.devfile.name ? `${w.devfile.name}${w.devfile.version ? ` ${w.devfile.version}` : ''}` : undefined}
          />
        ),
      },
      { id: 'status', label: 'Status', cell: w => <Cell><StatusChip workspace={w} /></Cell> },
      {
        id: 'created',
        label: 'Created',
        cell: w => <CellText title={relativeTime(w.createdAt)} description={absoluteTime(w.createdAt)} />,
      },
      {
        id: 'lastUsed',
        label: 'Last used',
        cell: w => <CellText title={relativeTime(w.lastUsed)} description={absoluteTime(w.lastUsed)} />,
      },
      {
        id: 'actions',
        label: 'Actions',
        cell: w => (
          <Cell>
            <WorkspaceActions workspace={w} pending={pending[w.workspaceId]} onAction={a => act(w, a)} />
          </Cell>
        ),
      },
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [pending],
  );

  const rows = state.value && [...state.value].sort(newestFirst).map(w => ({ ...w, id: w.workspaceId }));
  return (
    <Flex direction="column" gap="4" p="4" data-testid="my-workspaces">
      <Flex justify="between" align="center" gap="4" style={{ flexWrap: 'wrap' }}>
        <Text variant="body-medium" color="secondary" data-testid="workspaces-summary" aria-live="polite">
          {rows === undefined
            ? 'Loading your workspaces…'
            : `${rows.length} workspace${rows.length === 1 ? '' : 's'}${state.polling ? ' · refreshing while a workspace changes state' : ''}`}
        </Text>
        <Button variant="primary" onPress={() => setCreating(true)}>
          New workspace
        </Button>
      </Flex>
      {actionError !== undefined && (
        <CheErrorAlert error={actionError} onDismiss={() => setActionError(undefined)} />
      )}
      {state.error !== undefined && !rows && (
        <CheErrorAlert error={state.error} onRetry={() => void state.refresh()} />
      )}
      {state.error === undefined && rows === undefined && (
        // Not the table's own isPending: it fades the rows in from 60% opacity.
        <Skeleton width="100%" height={96} />
      )}
      {rows !== undefined && (
        <Table<Row>
          columnConfig={columns}
          data={rows}
          pagination={{ type: 'none' }}
          emptyState={
            <Text data-testid="workspaces-empty">
              You have no workspaces yet. Create one with “New workspace”, or open a component in Che from its catalog page.
            </Text>
          }
        />
      )}
      <NewWorkspaceDialog
        isOpen={creating}
        onOpenChange={setCreating}
        onCreated={() => void state.refresh()}
      />
    </Flex>
  );
}
