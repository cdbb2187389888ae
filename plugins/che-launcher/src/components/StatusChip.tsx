import { Badge, Flex, Text } from '@backstage/ui';
import { shownStatus, WorkspaceView } from './workspaceStatus';

// Text/background pairs with at least 4.5:1 contrast.
const COLORS = {
  Running: { color: '#0b5d1e', backgroundColor: '#d7f5dd' },
  Starting: { color: '#0b4a8f', backgroundColor: '#dbe9fb' },
  Stopping: { color: '#6b4a00', backgroundColor: '#fbefd0' },
  Stopped: { color: '#3d3d3d', backgroundColor: '#e8e8e8' },
  Failing: { color: '#8a1c1c', backgroundColor: '#fde0e0' },
  Failed: { color: '#8a1c1c', backgroundColor: '#fde0e0' },
} as const;

/** The workspace's state as a coloured chip; Failing/Failed with Che's message beside it. */
export function StatusChip(props: { workspace: WorkspaceView; showMessage?: boolean }) {
  const status = shownStatus(props.workspace);
  const message = props.workspace.statusMessage;
  const failed = status === 'Failed' || status === 'Failing';
  return (
    <Flex direction="column" gap="1">
      <Badge
        size="small"
        data-testid="workspace-status"
        data-status={status}
        style={{ ...COLORS[status], fontWeight: 600, width: 'fit-content' }}
      >
        {status}
      </Badge>
      {failed && message && props.showMessage !== false && (
        // Che's dark red, not the theme's danger text colour, which is under 4.5:1 on white.
        <Text variant="body-small" style={{ color: COLORS.Failed.color }} data-testid="workspace-status-message">
          {message}
        </Text>
      )}
    </Flex>
  );
}
