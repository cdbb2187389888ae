import { stringifyEntityRef } from '@backstage/catalog-model';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Button, ButtonLink, Card, CardBody, CardFooter, CardHeader, Flex, Link, Text } from '@backstage/ui';
import { useEffect, useRef, useState } from 'react';
import { cheLauncherApiRef } from '../api/CheLauncherApi';
import { entityDevfileSource } from './annotations';
import { CheErrorAlert } from './CheErrorAlert';
import { StatusChip } from './StatusChip';
import { useWorkspaces } from './useWorkspaces';
import { absoluteTime, relativeTime, shownStatus, WorkspaceView } from './workspaceStatus';

/** Seconds since `since`, ticking once a second while `active`. */
function useElapsed(since: number | undefined): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (since === undefined) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [since]);
  return since === undefined ? 0 : Math.max(0, Math.round((now - since) / 1000));
}

function openIde(url: string) {
  // A browser may block a window opened after the request; the "Open IDE" link stays.
  try {
    window.open(url, '_blank', 'noopener,noreferrer');
  } catch {
    // jsdom and locked-down browsers: nothing to do
  }
}

const STEPS = ['Creating', 'Starting', 'Running'] as const;

/** Where the launch stands: the step list with the current step, and a progress bar. */
function LaunchProgress(props: { step: (typeof STEPS)[number]; elapsed: number }) {
  const current = STEPS.indexOf(props.step);
  return (
    <Flex direction="column" gap="2" data-testid="che-launch-progress">
      <Text variant="body-medium" weight="bold" aria-live="polite">
        {props.step === 'Creating' ? 'Creating the workspace…' : `Starting… ${props.elapsed} s`}
      </Text>
      <Progress aria-label="Workspace start progress" />
      <ol style={{ display: 'flex', gap: '0.75rem', listStyle: 'none', padding: 0, margin: 0 }}>
        {STEPS.map((step, index) => (
          <li key={step} aria-current={index === current ? 'step' : undefined}>
            <Text
              variant="body-small"
              color={index <= current ? 'primary' : 'secondary'}
              weight={index === current ? 'bold' : 'regular'}
            >
              {index + 1}. {step}
            </Text>
          </li>
        ))}
      </ol>
    </Flex>
  );
}

/**
 * "Cloud development environment": Open in Che creates (or, under `createPolicy: peruser`,
 * reuses) the entity's workspace, shows it starting and opens the IDE once it runs; below, the
 * user's workspaces for this entity.
 *
 * @public
 */
export function EntityCheCard(props: { minDelayMs?: number; maxDelayMs?: number }) {
  const { entity } = useEntity();
  const api = useApi(cheLauncherApiRef);
  const entityRef = stringifyEntityRef(entity);
  const source = entityDevfileSource(entity);
  const workspaces = useWorkspaces(props);
  const [launch, setLaunch] = useState<{ id?: string; since?: number; opened?: boolean }>();
  const [launching, setLaunching] = useState(false);
  const [error, setError] = useState<unknown>();
  const openedFor = useRef<string>();

  const mine = (workspaces.value ?? []).filter(
    w =>
      w.workspaceId === launch?.id ||
      (w.entityRef ?? '').toLocaleLowerCase('en-US') === entityRef.toLocaleLowerCase('en-US'),
  );
  const launched: WorkspaceView | undefined = mine.find(w => w.workspaceId === launch?.id);
  const launchedStatus = launched ? shownStatus(launched) : undefined;
  const elapsed = useElapsed(launchedStatus === 'Starting' || launching ? launch?.since : undefined);

  // Open the IDE once the workspace this card launched runs.
  useEffect(() => {
    if (launched && launchedStatus === 'Running' && launched.ideUrl && openedFor.current !== launched.workspaceId) {
      openedFor.current = launched.workspaceId;
      openIde(launched.ideUrl);
    }
  }, [launched, launchedStatus]);

  const openInChe = async () => {
    setError(undefined);
    setLaunching(true);
    setLaunch({ since: Date.now() });
    try {
      let workspace = await api.createWorkspace({ entityRef });
      // createPolicy peruser hands back the existing workspace, which may be stopped.
      const status = shownStatus(workspace as WorkspaceView);
      if (status === 'Stopped' || status === 'Failed') {
        workspace = await api.startWorkspace(workspace.workspaceId);
      }
      setLaunch({ id: workspace.workspaceId, since: Date.now() });
      await workspaces.refresh();
    } catch (e) {
      setError(e);
      setLaunch(undefined);
    } finally {
      setLaunching(false);
    }
  };

  const devfileText = describeDevfileSource(source);

  return (
    <Card data-testid="che-card">
      <CardHeader>
        <Text as="h2" variant="title-small">
          Cloud development environment
        </Text>
      </CardHeader>
      <CardBody>
        <Flex direction="column" gap="3">
          <Text variant="body-small" color="secondary">
            {devfileText}
          </Text>
          {launching && !launch?.id && <LaunchProgress step="Creating" elapsed={elapsed} />}
          {launched && launchedStatus === 'Starting' && <LaunchProgress step="Starting" elapsed={elapsed} />}
          {launched && launchedStatus === 'Running' && launched.ideUrl && (
            <Text variant="body-medium" data-testid="che-launch-ready">
              {launched.name} is running.
            </Text>
          )}
          {error !== undefined && <CheErrorAlert error={error} onDismiss={() => setError(undefined)} />}
          {workspaces.error !== undefined && !workspaces.value && (
            <CheErrorAlert error={workspaces.error} onRetry={() => void workspaces.refresh()} />
          )}
          <Flex direction="column" gap="2" data-testid="che-entity-workspaces">
            <Text as="h3" variant="title-x-small">
              Your workspaces for {entity.metadata.title ?? entity.metadata.name}
            </Text>
            {workspaces.value && mine.length === 0 && (
              <Text variant="body-small" color="secondary">
                None yet.
              </Text>
            )}
            {mine.map(w => (
              <Flex key={w.workspaceId} justify="between" align="center" gap="2" data-testid="che-entity-workspace">
                <Flex direction="column" gap="0.5">
                  <Text weight="bold">{w.name}</Text>
                  <Text variant="body-x-small" color="secondary" title={absoluteTime(w.lastUsed)}>
                    Last used {relativeTime(w.lastUsed)}
                  </Text>
                </Flex>
                <Flex align="center" gap="2">
                  <StatusChip workspace={w} />
                  {shownStatus(w) === 'Running' && w.ideUrl && (
                    <ButtonLink
                      size="small"
                      variant="secondary"
                      href={w.ideUrl}
                      target="_blank"
                      rel="noopener noreferrer"
                      aria-label={`Open IDE of ${w.name}`}
                      data-testid="open-ide"
                    >
                      Open IDE
                    </ButtonLink>
                  )}
                </Flex>
              </Flex>
            ))}
          </Flex>
        </Flex>
      </CardBody>
      <CardFooter>
        <Button
          variant="primary"
          isDisabled={!source || launching || launchedStatus === 'Starting'}
          isPending={launching}
          onPress={openInChe}
          data-testid="open-in-che"
        >
          Open in Che
        </Button>
      </CardFooter>
    </Card>
  );
}

function describeDevfileSource(source: ReturnType<typeof entityDevfileSource>) {
  if (!source) return 'No devfile annotation';
  if ('template' in source) {
    return (
      <>
        Golden-path template <strong>{source.template}</strong>
      </>
    );
  }
  return (
    <>
      Devfile <Link href={source.devfileUrl} target="_blank" rel="noopener noreferrer">{source.devfileUrl}</Link>
    </>
  );
}
