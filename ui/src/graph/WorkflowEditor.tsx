import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import {
  Alert, Anchor, Button, Group, Loader, MultiSelect, NumberInput, Paper, SegmentedControl, Select, Stack, Text,
  TextInput, Title,
} from '@mantine/core';
import { Link, useParams } from '@tanstack/react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { getEntity, listEntities } from '../api/operations';
import { useSession } from '../auth/session';
import { itemHref } from '../lib/entities';
import {
  addDependency, addStep, deleteStep, dependsOn, fromStored, links, moveStep, refusedStep, removeDependency,
  renameStep, stepsRequest, updateStep, type StepDraft,
} from './editorModel';
import { FlowCanvas } from './FlowCanvas';
import type { Direction } from './layout';

// rjsf and its validator load with the first step's arguments form, not with the editor
const ArgsForm = lazy(() => import('./ArgsForm').then((m) => ({ default: m.ArgsForm })));

interface ActionType {
  name: string;
  description?: string | null;
  params_json_schema?: Record<string, unknown> | null;
}

const ON_FAILURE = ['DEACTIVATE', 'HALT', 'CONTINUE'];

function numberOrNull(v: string | number): number | null {
  return v === '' || v === null ? null : Number(v);
}

/** The selected step's settings: name, order, failure policy, retries, timeout, dependencies and arguments. */
function StepPanel({ step, steps, types, onChange, onRename, onMove, onDelete, onDepends }: {
  step: StepDraft;
  steps: StepDraft[];
  types: ActionType[];
  onChange: (fields: Record<string, unknown>) => void;
  onRename: (name: string) => void;
  onMove: (delta: number) => void;
  onDelete: () => void;
  onDepends: (names: string[]) => void;
}) {
  const type = types.find((t) => t.name === step.data.action_type_name);
  const others = steps.filter((s) => s.key !== step.key).map((s) => String(s.data.name ?? '')).filter(Boolean);
  return (
    <Paper withBorder p="sm" w={360} aria-label="Selected step">
      <Stack gap="xs">
        <Text size="xs" c="dimmed" tt="uppercase" fw={700}>Step · {String(step.data.action_type_name)}</Text>
        <TextInput label="Name" value={String(step.data.name ?? '')} onChange={(e) => onRename(e.currentTarget.value)} />
        <Group gap="xs">
          <Button size="xs" variant="default" onClick={() => onMove(-1)}>Move up</Button>
          <Button size="xs" variant="default" onClick={() => onMove(1)}>Move down</Button>
          <Text size="xs" c="dimmed">order {String(step.data.order_idx ?? '')}</Text>
        </Group>
        <MultiSelect label="Runs after (depends on)" data={[...new Set(others)]} value={dependsOn(step)} onChange={onDepends} clearable searchable />
        <Select label="On failure" data={ON_FAILURE} value={String(step.data.on_failure ?? 'DEACTIVATE')} onChange={(v) => onChange({ on_failure: v })} allowDeselect={false} />
        <Group grow>
          <NumberInput label="Retries" min={0} max={100} value={Number(step.data.retries ?? 0)} onChange={(v) => onChange({ retries: numberOrNull(v) ?? 0 })} />
          <NumberInput label="Retry delay (s)" min={0} value={Number(step.data.retry_delay_seconds ?? 10)} onChange={(v) => onChange({ retry_delay_seconds: numberOrNull(v) ?? 0 })} />
        </Group>
        <NumberInput label="Timeout (s, empty for none)" min={1} value={step.data.timeout_seconds === null || step.data.timeout_seconds === undefined ? '' : Number(step.data.timeout_seconds)}
          onChange={(v) => onChange({ timeout_seconds: numberOrNull(v) })} />
        <Suspense fallback={<Loader size="sm" aria-label="Loading the arguments form" />}>
          <ArgsForm key={step.key} schema={type?.params_json_schema ?? { type: 'object' }} value={(step.data.args as Record<string, unknown>) ?? {}} onChange={(args) => onChange({ args })} />
        </Suspense>
        <Button color="red" variant="light" onClick={onDelete}>Delete step</Button>
      </Stack>
    </Paper>
  );
}

/**
 * The workflow editor: the steps as a graph whose edges are `depends_on` (drag from one step to another to make the
 * second wait for the first; click an edge to remove it), steps added from the engine's action types, and each
 * step's settings. Saving sends the workflow and every changed, added and deleted step in one request.
 */
export function WorkflowEditor() {
  const { id } = useParams({ strict: false }) as { id: string };
  const { can } = useSession();
  const queryClient = useQueryClient();
  const workflow = useQuery({ queryKey: ['entity', 'workflow', id], queryFn: () => getEntity('workflow', id) });
  const stored = useQuery({
    queryKey: ['workflow-steps', id],
    queryFn: () => listEntities('/action', { limit: 1000, workflow_id: id, order_by: '["order_idx ASC"]' }),
  });
  const engineName = workflow.data?.data.engine_name as string | undefined;
  const engine = useQuery({
    queryKey: ['engine-by-name', engineName],
    queryFn: () => listEntities('/engine', { limit: 1, filters: JSON.stringify([`name = ${engineName}`]) }),
    enabled: !!engineName,
  });
  const types = ((engine.data?.results[0]?.data.supported_action_types ?? []) as ActionType[]);

  const [drafts, setDrafts] = useState<StepDraft[] | null>(null);
  const [wf, setWf] = useState<Record<string, unknown>>({});
  const [selected, setSelected] = useState<string | null>(null);
  const [selectedLink, setSelectedLink] = useState<string | null>(null);
  const [direction, setDirection] = useState<Direction>('RIGHT');
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [refused, setRefused] = useState<string | null>(null);
  const [newType, setNewType] = useState<string | null>(null);
  const [newName, setNewName] = useState('');
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (stored.data && workflow.data && drafts === null) {
      setDrafts(fromStored(stored.data.results));
      setWf({ name: workflow.data.data.name, on_failure: workflow.data.data.on_failure, retries_on_failure: workflow.data.data.retries_on_failure });
    }
  }, [stored.data, workflow.data, drafts]);

  const items = useMemo(() => (drafts ?? []).map((s) => ({
    id: s.key,
    data: { kind: String(s.data.action_type_name), name: String(s.data.name ?? ''), state: null, detail: `#${String(s.data.order_idx ?? '')}`, unsaved: !s.stored, refused: s.key === refused },
  })), [drafts, refused]);
  const edges = useMemo(() => links(drafts ?? []), [drafts]);

  if (workflow.error || stored.error) return <Alert color="red" role="alert">{((workflow.error ?? stored.error) as Error).message}</Alert>;
  if (!workflow.data || !stored.data || drafts === null) return <Loader aria-label="Loading the workflow" />;
  const selectedStep = drafts.find((d) => d.key === selected) ?? null;
  const linkEnds = selectedLink ? edges.find((l) => l.id === selectedLink) : undefined;

  function change(next: StepDraft[] | string) {
    if (typeof next === 'string') {
      setMessage({ error: true, text: next });
    } else {
      setDrafts(next);
      setMessage(null);
    }
  }

  async function save() {
    const body = stepsRequest(workflow.data!, wf, stored.data!.results, drafts!);
    setSaving(true);
    setRefused(null);
    try {
      await api.put(`/workflow/${encodeURIComponent(id)}/steps`, body);
      setDrafts(null);
      setSelected(null);
      await queryClient.invalidateQueries({ queryKey: ['workflow-steps', id] });
      await queryClient.invalidateQueries({ queryKey: ['entity', 'workflow', id] });
      setMessage({ error: false, text: 'Saved.' });
    } catch (e) {
      const text = (e as Error).message;
      setRefused(refusedStep(text, body, drafts!));
      setMessage({ error: true, text });
    } finally {
      setSaving(false);
    }
  }

  function reload() {
    setDrafts(null);
    setMessage(null);
    setRefused(null);
    stored.refetch();
    workflow.refetch();
  }

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Stack gap={0}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>Workflow editor</Text>
          <Title order={2}>{String(workflow.data.data.name)}</Title>
        </Stack>
        <Group gap="xs">
          <Anchor component={Link} to={itemHref('workflow', id)}>Workflow page</Anchor>
          <Anchor component={Link} to={`/graph/workflow/${encodeURIComponent(id)}`}>Graph</Anchor>
        </Group>
      </Group>
      {!can.edit && <Alert color="yellow">Your key may read this workflow but not change it.</Alert>}
      <Group align="flex-end" wrap="wrap">
        <TextInput label="Workflow name" value={String(wf.name ?? '')} onChange={(e) => setWf({ ...wf, name: e.currentTarget.value })} />
        <Select label="Workflow on failure" data={['DEACTIVATE', 'CONTINUE']} value={String(wf.on_failure ?? 'DEACTIVATE')} onChange={(v) => setWf({ ...wf, on_failure: v })} allowDeselect={false} w={160} />
        <NumberInput label="Workflow retries" min={0} value={Number(wf.retries_on_failure ?? 0)} onChange={(v) => setWf({ ...wf, retries_on_failure: numberOrNull(v) ?? 0 })} w={140} />
      </Group>
      <Group align="flex-end" wrap="wrap">
        <Select label="Action type of a new step" placeholder="Pick an action type" data={types.map((t) => ({ value: t.name, label: t.name }))} value={newType} onChange={setNewType} searchable w={260} />
        <TextInput label="New step's name" value={newName} onChange={(e) => setNewName(e.currentTarget.value)} w={220} />
        <Button variant="light" disabled={!newType} onClick={() => {
          const name = newName.trim() || `${newType}_${drafts.length + 1}`;
          change(addStep(drafts, newType!, name));
          setNewName('');
        }}>Add step</Button>
        <SegmentedControl aria-label="Layout direction" value={direction} onChange={(v) => setDirection(v as Direction)}
          data={[{ label: 'Horizontal', value: 'RIGHT' }, { label: 'Vertical', value: 'DOWN' }]} />
      </Group>
      {message && <Alert color={message.error ? 'red' : 'green'} role={message.error ? 'alert' : 'status'}>{message.text}</Alert>}
      {linkEnds && (
        <Group gap="xs">
          <Text size="sm">Selected dependency: {String(drafts.find((d) => d.key === linkEnds.source)?.data.name)} → {String(drafts.find((d) => d.key === linkEnds.target)?.data.name)}</Text>
          <Button size="xs" color="red" variant="light" onClick={() => { change(removeDependency(drafts, linkEnds.source, linkEnds.target)); setSelectedLink(null); }}>Remove dependency</Button>
        </Group>
      )}
      <Group align="flex-start" wrap="nowrap" gap="md">
        <div style={{ flex: 1, minWidth: 0 }}>
          {drafts.length === 0 ? <Text c="dimmed">No steps yet: pick an action type and add one.</Text> : (
            <FlowCanvas
              label="Workflow steps"
              items={items}
              links={edges}
              direction={direction}
              selected={selected}
              selectedLink={selectedLink}
              onSelect={(k) => { setSelected(k); setSelectedLink(null); }}
              onConnect={can.edit ? (source, target) => change(addDependency(drafts, source, target)) : undefined}
              onLinkClick={can.edit ? (l) => setSelectedLink(l) : undefined}
              height="60vh"
            />
          )}
          <Text size="xs" c="dimmed">Drag from a step's right (or bottom) handle to another step to make it wait for the first; click an arrow to remove it.</Text>
        </div>
        {selectedStep && (
          <StepPanel
            step={selectedStep}
            steps={drafts}
            types={types}
            onChange={(fields) => change(updateStep(drafts, selectedStep.key, fields))}
            onRename={(name) => change(renameStep(drafts, selectedStep.key, name))}
            onMove={(delta) => change(moveStep(drafts, selectedStep.key, delta))}
            onDelete={() => { change(deleteStep(drafts, selectedStep.key)); setSelected(null); }}
            onDepends={(names) => change(updateStep(drafts, selectedStep.key, { depends_on: names }))}
          />
        )}
      </Group>
      {can.edit && (
        <Group>
          <Button onClick={save} loading={saving}>Save workflow and steps</Button>
          <Button variant="default" onClick={reload}>Discard changes</Button>
        </Group>
      )}
    </Stack>
  );
}
