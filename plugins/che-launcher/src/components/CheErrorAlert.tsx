import { Alert, Button } from '@backstage/ui';
import { describeCheError } from './describeError';

/** A failed request in words: what happened and the backend's message. */
export function CheErrorAlert(props: { error: unknown; onRetry?: () => void; onDismiss?: () => void }) {
  const view = describeCheError(props.error);
  return (
    <Alert
      status={view.status === 409 || view.status === 429 ? 'warning' : 'danger'}
      icon
      role="alert"
      title={view.status ? `${view.title} (${view.status})` : view.title}
      description={view.message}
      data-testid="che-error"
      data-status={view.status}
      customActions={
        props.onRetry || props.onDismiss ? (
          <>
            {props.onRetry && (
              <Button size="small" variant="secondary" onPress={props.onRetry}>
                Try again
              </Button>
            )}
            {props.onDismiss && (
              <Button size="small" variant="tertiary" onPress={props.onDismiss}>
                Dismiss
              </Button>
            )}
          </>
        ) : undefined
      }
    />
  );
}
