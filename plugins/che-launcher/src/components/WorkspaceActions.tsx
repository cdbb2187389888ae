import { Button, ButtonLink, Dialog, DialogBody, DialogFooter, DialogHeader, Flex, Text } from '@backstage/ui';
import { useState } from 'react';
import { shownStatus, WorkspaceView } from './workspaceStatus';

export type WorkspaceAction = 'start' | 'stop' | 'delete';

// The buttons say what is under way instead of react-aria's isPending, which announces the end
// of a press by the button's id after the row has already swapped the button for another.
// No `destructive` styling: its red is under 4.5:1 against the page (axe color-contrast).

/** Open IDE / Start / Stop / Delete for one workspace, as its state allows. */
export function WorkspaceActions(props: {
  workspace: WorkspaceView;
  pending?: WorkspaceAction;
  onAction: (action: WorkspaceAction) => void;
}) {
  const { workspace } = props;
  const status = shownStatus(workspace);
  const [confirming, setConfirming] = useState(false);
  const busy = props.pending !== undefined;
  return (
    <Flex gap="2" align="center" style={{ flexWrap: 'wrap' }}>
      {status === 'Running' && workspace.ideUrl && (
        <ButtonLink
          size="small"
          variant="primary"
          href={workspace.ideUrl}
          target="_blank"
          rel="noopener noreferrer"
          aria-label={`Open IDE of ${workspace.name}`}
          data-testid="open-ide"
        >
          Open IDE
        </ButtonLink>
      )}
      {(status === 'Stopped' || status === 'Failed') && (
        <Button
          size="small"
          variant="secondary"
          isDisabled={busy}
          aria-label={`Start ${workspace.name}`}
          onPress={() => props.onAction('start')}
        >
          {props.pending === 'start' ? 'Starting…' : 'Start'}
        </Button>
      )}
      {(status === 'Running' || status === 'Starting') && (
        <Button
          size="small"
          variant="secondary"
          isDisabled={busy}
          aria-label={`Stop ${workspace.name}`}
          onPress={() => props.onAction('stop')}
        >
          {props.pending === 'stop' ? 'Stopping…' : 'Stop'}
        </Button>
      )}
      <Button
        size="small"
        variant="tertiary"
        isDisabled={busy}
        aria-label={`Delete ${workspace.name}`}
        onPress={() => setConfirming(true)}
      >
        {props.pending === 'delete' ? 'Deleting…' : 'Delete'}
      </Button>
      <Dialog isOpen={confirming} onOpenChange={setConfirming} data-testid="confirm-delete">
        <DialogHeader>Delete workspace?</DialogHeader>
        <DialogBody>
          <Text>
            Delete <strong>{workspace.name}</strong>? Its storage and any uncommitted changes are
            removed with it; this cannot be undone.
          </Text>
        </DialogBody>
        <DialogFooter>
          <Button variant="secondary" slot="close">
            Cancel
          </Button>
          <Button
            variant="primary"
            onPress={() => {
              setConfirming(false);
              props.onAction('delete');
            }}
          >
            Delete
          </Button>
        </DialogFooter>
      </Dialog>
    </Flex>
  );
}
