import type { DevfileTemplate, Workspace } from '@fawkes/plugin-che-launcher-common';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  Alert,
  Badge,
  Button,
  Dialog,
  DialogBody,
  DialogFooter,
  DialogHeader,
  Flex,
  Radio,
  RadioGroup,
  Skeleton,
  Text,
  TextField,
  ToggleButton,
  ToggleButtonGroup,
} from '@backstage/ui';
import { useEffect, useMemo, useState } from 'react';
import { cheLauncherApiRef } from '../api/CheLauncherApi';
import { CheErrorAlert } from './CheErrorAlert';

const ALL_TAGS = '__all__';
/** DNS-1123 label, as the backend checks it (it has the last word). */
const NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

type Source = 'template' | 'url';

function resourcesInWords(resources: Record<string, string>): string | undefined {
  const parts = Object.entries(resources).map(([key, value]) => `${key} ${value}`);
  return parts.length ? parts.join(' · ') : undefined;
}

/** The golden-path templates, filtered by the chosen tag, as a radio list. */
function TemplateGallery(props: {
  templates: DevfileTemplate[];
  selected?: string;
  onSelect: (name: string) => void;
}) {
  const [tag, setTag] = useState(ALL_TAGS);
  const tags = useMemo(
    () => [...new Set(props.templates.flatMap(t => t.tags))].sort((a, b) => a.localeCompare(b)),
    [props.templates],
  );
  const shown = props.templates.filter(t => tag === ALL_TAGS || t.tags.includes(tag));
  return (
    <Flex direction="column" gap="3">
      {tags.length > 0 && (
        <ToggleButtonGroup
          aria-label="Filter templates by tag"
          selectionMode="single"
          disallowEmptySelection
          selectedKeys={[tag]}
          onSelectionChange={keys => setTag(String([...keys][0] ?? ALL_TAGS))}
          data-testid="template-tags"
        >
          <ToggleButton id={ALL_TAGS}>All</ToggleButton>
          {tags.map(t => (
            <ToggleButton key={t} id={t}>
              {t}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      )}
      <RadioGroup
        label="Template"
        value={props.selected ?? null}
        onChange={props.onSelect}
        data-testid="template-gallery"
      >
        {shown.map(t => (
          <Radio key={t.name} value={t.name} data-testid={`template-${t.name}`}>
            <Flex direction="column" gap="1">
              <Text weight="bold">{t.displayName}</Text>
              {t.description && (
                <Text variant="body-small" color="secondary">
                  {t.description}
                </Text>
              )}
              <Flex gap="1" style={{ flexWrap: 'wrap' }}>
                {t.tags.map(x => (
                  <Badge key={x} size="small">
                    {x}
                  </Badge>
                ))}
                {resourcesInWords(t.resources) && (
                  <Text variant="body-x-small" color="secondary">
                    {resourcesInWords(t.resources)}
                  </Text>
                )}
              </Flex>
            </Flex>
          </Radio>
        ))}
      </RadioGroup>
    </Flex>
  );
}

/** The template list as it loads: an error, a skeleton, a hint when none is configured, or the gallery. */
function TemplateChoice(props: {
  templates: { value?: DevfileTemplate[]; error?: unknown };
  selected?: string;
  onSelect: (name: string) => void;
}) {
  const { value, error } = props.templates;
  if (error) return <CheErrorAlert error={error} />;
  if (!value) return <Skeleton width="100%" height={120} />;
  if (value.length === 0) {
    return (
      <Alert
        status="info"
        title="No templates configured"
        description="Ask your platform team to add golden-path templates (cheLauncher.devfiles), or use a devfile URL."
      />
    );
  }
  return <TemplateGallery templates={value} selected={props.selected} onSelect={props.onSelect} />;
}

/**
 * "New workspace": a golden-path template (filterable by tag) or a devfile URL, and an optional
 * name. Calls `onCreated` with the new (or, under `createPolicy: peruser`, reused) workspace.
 */
export function NewWorkspaceDialog(props: {
  isOpen: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: (workspace: Workspace) => void;
}) {
  const api = useApi(cheLauncherApiRef);
  const [templates, setTemplates] = useState<{ value?: DevfileTemplate[]; error?: unknown }>({});
  const [source, setSource] = useState<Source>('template');
  const [template, setTemplate] = useState<string>();
  const [devfileUrl, setDevfileUrl] = useState('');
  const [name, setName] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    if (!props.isOpen) return undefined;
    let live = true;
    setError(undefined);
    api.listDevfiles().then(
      r => live && setTemplates({ value: r.devfiles }),
      e => live && setTemplates({ error: e }),
    );
    return () => {
      live = false;
    };
  }, [api, props.isOpen]);

  const nameInvalid = name !== '' && !NAME_PATTERN.test(name);
  const ready = !nameInvalid && (source === 'template' ? Boolean(template) : devfileUrl.trim() !== '');

  const create = async () => {
    setPending(true);
    setError(undefined);
    try {
      const options = name ? { name } : {};
      const created =
        source === 'template'
          ? await api.createWorkspace({ template: template!, ...options })
          : await api.createWorkspace({ devfileUrl: devfileUrl.trim(), ...options });
      props.onCreated(created as Workspace);
      props.onOpenChange(false);
    } catch (e) {
      setError(e);
    } finally {
      setPending(false);
    }
  };

  return (
    <Dialog isOpen={props.isOpen} onOpenChange={props.onOpenChange} width={560} data-testid="new-workspace-dialog">
      <DialogHeader>New workspace</DialogHeader>
      <DialogBody>
        <Flex direction="column" gap="4">
          <RadioGroup
            label="Start from"
            orientation="horizontal"
            value={source}
            onChange={v => setSource(v as Source)}
          >
            <Radio value="template">A golden-path template</Radio>
            <Radio value="url">A devfile URL</Radio>
          </RadioGroup>
          {source === 'template' && (
            <TemplateChoice templates={templates} selected={template} onSelect={setTemplate} />
          )}
          {source === 'url' && (
            <TextField
              label="Devfile URL"
              type="url"
              placeholder="https://raw.githubusercontent.com/org/repo/main/devfile.yaml"
              description="HTTPS URL of a raw Devfile 2.2 or 2.3 YAML file, from a host the backend may read."
              value={devfileUrl}
              onChange={setDevfileUrl}
              isRequired
            />
          )}
          <TextField
            label="Name (optional)"
            description="Lowercase letters, digits and '-'. Default: the devfile's name."
            value={name}
            onChange={setName}
            isInvalid={nameInvalid}
            validationBehavior="aria"
          />
          {nameInvalid && (
            <Text variant="body-small" style={{ color: "#8a1c1c" }} role="status">
              A name may contain only lowercase letters, digits and '-', and must start and end with a letter or digit.
            </Text>
          )}
          {error !== undefined && <CheErrorAlert error={error} />}
        </Flex>
      </DialogBody>
      <DialogFooter>
        <Button variant="secondary" slot="close">
          Cancel
        </Button>
        {/* No isPending: the dialog closes on success, and react-aria would then announce a gone button. */}
        <Button variant="primary" isDisabled={!ready || pending} onPress={create}>
          {pending ? 'Creating…' : 'Create'}
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
