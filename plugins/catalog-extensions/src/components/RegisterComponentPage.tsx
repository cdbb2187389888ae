import type { Entity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type {
  DryRunLocationResponse,
  LocationType,
  RegisterLocationResponse,
} from '@fawkes/plugin-catalog-extensions-common';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Alert,
  Button,
  Card,
  CardBody,
  CardHeader,
  CellText,
  ColumnConfig,
  Flex,
  Link,
  Radio,
  RadioGroup,
  Table,
  Text,
  TextField,
} from '@backstage/ui';
import { FormEvent, useState } from 'react';
import { catalogExtensionsApiRef } from '../api/CatalogExtensionsApi';
import { RegisterErrorPanel } from './RegisterErrorPanel';
import { FollowOptions, useLocationFollow } from './useLocationFollow';

type EntityRow = { id: string; kind: string; ref: string; title: string; description?: string };

const entityColumns: ColumnConfig<EntityRow>[] = [
  { id: 'kind', label: 'Kind', cell: e => <CellText title={e.kind} /> },
  { id: 'ref', label: 'Entity', isRowHeader: true, cell: e => <CellText title={e.ref} description={e.description} /> },
  { id: 'title', label: 'Title', cell: e => <CellText title={e.title} /> },
];

function toRows(entities: Entity[]): EntityRow[] {
  return entities.map(e => {
    const ref = stringifyEntityRef(e);
    return {
      id: ref,
      kind: e.kind,
      ref,
      title: e.metadata.title ?? e.metadata.name,
      description: e.metadata.description,
    };
  });
}

function RegisteredLinks(props: { entityRefs: string[] }) {
  const linkTo = useEntityRefLink();
  return (
    <ul style={{ margin: 0, paddingLeft: '1.25rem', display: 'flex', flexDirection: 'column', gap: '0.25rem' }} data-testid="registered-entities">
      {props.entityRefs.map(ref => (
        <li key={ref}>
          <Link href={linkTo(ref)}>{ref}</Link>
        </li>
      ))}
    </ul>
  );
}

/** After Register: follows the location until the catalog has processed it. */
function RegistrationProgress(props: { registration: RegisterLocationResponse; follow?: FollowOptions }) {
  const follow = useLocationFollow(props.registration.locationId, props.follow);
  const status = follow.status;
  if (status?.status === 'registered') {
    return (
      <Flex direction="column" gap="2" data-testid="registration-result" data-status="registered">
        <Alert
          status="success"
          icon
          title="Registered"
          description={`The catalog has ${status.entityRefs.length} entit${status.entityRefs.length === 1 ? 'y' : 'ies'} from ${status.target}.`}
        />
        <RegisteredLinks entityRefs={status.entityRefs} />
      </Flex>
    );
  }
  if (status?.status === 'failed') {
    return (
      <Flex direction="column" gap="2" data-testid="registration-result" data-status="failed">
        <Alert
          status="danger"
          icon
          role="alert"
          title="The catalog could not process this location"
          description={`${status.errors.length} processing error${status.errors.length === 1 ? '' : 's'} on ${status.target}.`}
        />
        <ul style={{ margin: 0, paddingLeft: '1.25rem', display: 'flex', flexDirection: 'column', gap: '0.25rem' }} data-testid="processing-errors">
          {status.errors.map((e, i) => (
            <li key={i}>
              <Text>
                {e.entityRef ? <strong>{e.entityRef}: </strong> : null}
                {e.message}
              </Text>
            </li>
          ))}
        </ul>
        {status.entityRefs.length > 0 && <RegisteredLinks entityRefs={status.entityRefs} />}
      </Flex>
    );
  }
  return (
    <Flex direction="column" gap="2" data-testid="registration-result" data-status="processing">
      <Alert
        status="info"
        icon
        isPending={!follow.gaveUp}
        title={follow.gaveUp ? 'Still processing' : 'Registering…'}
        description={
          follow.gaveUp
            ? 'The catalog has not finished processing this location yet.'
            : `Location ${props.registration.locationId} is registered; waiting for the catalog to process it.`
        }
        customActions={
          follow.gaveUp ? (
            <Button size="small" variant="secondary" onPress={follow.checkAgain}>
              Check again
            </Button>
          ) : undefined
        }
      />
      {follow.error !== undefined && <RegisterErrorPanel error={follow.error} />}
    </Flex>
  );
}

/**
 * "Register a component": type and target → a dry-run preview (the entities found, or every
 * validation problem with its document and path) → Register → follows the location until the
 * catalog has it → links to the registered entities.
 *
 * @public
 */
export function RegisterComponentPage(props: { follow?: FollowOptions }) {
  const api = useApi(catalogExtensionsApiRef);
  const [type, setType] = useState<LocationType>('url');
  const [target, setTarget] = useState('');
  const [preview, setPreview] = useState<DryRunLocationResponse>();
  const [error, setError] = useState<unknown>();
  const [pending, setPending] = useState<'preview' | 'register'>();
  const [registration, setRegistration] = useState<RegisterLocationResponse>();

  const reset = () => {
    setPreview(undefined);
    setError(undefined);
    setRegistration(undefined);
  };

  const runPreview = async (event?: FormEvent) => {
    event?.preventDefault();
    reset();
    setPending('preview');
    try {
      setPreview(await api.dryRunLocation({ type, target: target.trim() }));
    } catch (e) {
      setError(e);
    } finally {
      setPending(undefined);
    }
  };

  const register = async () => {
    if (!preview) return;
    setError(undefined);
    setPending('register');
    try {
      setRegistration(await api.registerLocation({ type: preview.type, target: preview.target }));
    } catch (e) {
      setError(e);
    } finally {
      setPending(undefined);
    }
  };

  return (
    <Flex direction="column" gap="4" p="4" data-testid="register-component">
      <Card>
        <CardHeader>
          <Text as="h2" variant="title-small">
            Where is the catalog-info.yaml?
          </Text>
        </CardHeader>
        <CardBody>
          <form onSubmit={runPreview} aria-label="Register a component">
            <Flex direction="column" gap="3">
              <RadioGroup
                label="Type"
                orientation="horizontal"
                value={type}
                onChange={v => {
                  setType(v as LocationType);
                  reset();
                }}
              >
                <Radio value="url">URL</Radio>
                <Radio value="file">File on the backend</Radio>
              </RadioGroup>
              <TextField
                label={type === 'url' ? 'URL' : 'File path'}
                description={
                  type === 'url'
                    ? 'An http(s) URL of a catalog-info.yaml the backend may read (backend.reading.allow).'
                    : 'A path below one of the backend’s allowed file roots (catalogExtensions.allowedFileRoots).'
                }
                placeholder={
                  type === 'url'
                    ? 'https://github.com/org/repo/blob/main/catalog-info.yaml'
                    : '../../examples/catalog-info.yaml'
                }
                value={target}
                onChange={v => {
                  setTarget(v);
                  if (preview || error || registration) reset();
                }}
                isRequired
              />
              <Flex gap="2">
                <Button type="submit" variant="secondary" isDisabled={!target.trim()} isPending={pending === 'preview'}>
                  Preview
                </Button>
              </Flex>
            </Flex>
          </form>
        </CardBody>
      </Card>

      {error !== undefined && <RegisterErrorPanel error={error} />}

      {preview && (
        <Card data-testid="dry-run-preview">
          <CardHeader>
            <Flex direction="column" gap="1">
              <Text as="h2" variant="title-small">
                Preview: {preview.entities.length} entit{preview.entities.length === 1 ? 'y' : 'ies'} found
              </Text>
              <Text variant="body-small" color="secondary">
                {preview.target}
              </Text>
            </Flex>
          </CardHeader>
          <CardBody>
            <Flex direction="column" gap="3">
              {preview.exists && (
                <Alert
                  status="warning"
                  icon
                  title="Already registered"
                  description="The catalog already has this location; registering it again is refused."
                />
              )}
              <Table<EntityRow> columnConfig={entityColumns} data={toRows(preview.entities)} pagination={{ type: 'none' }} />
              {/* Stays mounted: react-aria announces the end of a pending press by the button's id. */}
              <Flex gap="2">
                <Button
                  variant="primary"
                  onPress={register}
                  isDisabled={preview.exists || preview.entities.length === 0 || registration !== undefined}
                  isPending={pending === 'register'}
                >
                  Register
                </Button>
              </Flex>
              {registration && <RegistrationProgress registration={registration} follow={props.follow} />}
            </Flex>
          </CardBody>
        </Card>
      )}
      {!preview && !error && (
        <Text variant="body-small" color="secondary">
          Preview first: nothing is registered until you press Register.{' '}
          <Link href="https://backstage.io/docs/features/software-catalog/descriptor-format" target="_blank" rel="noopener noreferrer">
            The descriptor format
          </Link>
        </Text>
      )}
    </Flex>
  );
}
