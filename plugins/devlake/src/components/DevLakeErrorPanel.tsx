import { Alert, Button } from '@backstage/ui';
import { describeDevLakeError, durationInWords } from './describeError';
import { useCountdown } from './useDevLake';

/** The designed error state: the backend's message, and for 429 when to try again. */
export function DevLakeErrorPanel(props: { error: unknown; onRetry?: () => void }) {
  const view = describeDevLakeError(props.error);
  const left = useCountdown(view.retryAfterSeconds);
  const rateLimited = view.status === 429;
  const waiting = rateLimited && left !== undefined && left > 0;
  let description = view.message;
  if (rateLimited && left !== undefined) {
    description =
      left > 0
        ? `The DevLake API rate limit was reached. Try again in ${durationInWords(left)}.`
        : 'The DevLake API rate limit was reached. You can try again now.';
  }
  return (
    <Alert
      status={rateLimited ? 'warning' : 'danger'}
      icon
      title={view.status ? `${view.title} (${view.status})` : view.title}
      description={description}
      data-testid="devlake-error"
      customActions={
        props.onRetry ? (
          <Button size="small" variant="secondary" isDisabled={waiting} onPress={props.onRetry}>
            Try again
          </Button>
        ) : undefined
      }
    />
  );
}
