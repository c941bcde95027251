import { useMemo, useState } from 'react';
import { Alert, Button, Code, CopyButton, Group, JsonInput, Loader, MultiSelect, SegmentedControl, Select, Stack, Text, Title } from '@mantine/core';
import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Form from '@rjsf/mantine';
import validator from '@rjsf/validator-ajv8';
import type { RJSFSchema } from '@rjsf/utils';
import { api, ApiRequestError } from '../api/client';
import { getEntity, listEntities } from '../api/operations';
import type { AnyEntity, EngineEntity, TriggerType } from '../api/types';
import { EntityPicker } from '../components/EntityPicker';
import { JsonField } from '../components/JsonField';
import { itemHref, type EntityDef } from '../lib/entities';
import { cleanFormData, duplicateOf, errorSchemaFor, FORM_FIELDS, formSchema, uiSchemaFor, withoutNulls, type JsonSchema } from '../lib/forms';
import { API_KEY_SCHEMA, createPathFor, PICKED_FIELDS, schemaPathFor } from '../lib/formTargets';

const FIELDS = { json: JsonField };

/** Create (`/datastores/new`, `?from=ID` duplicates, `?workflow_id=` etc. preset a parent) or edit (`/datastore/ID/edit`). */
export function EntityFormPage({ def, mode }: { def: EntityDef; mode: 'create' | 'edit' }) {
  const params = useParams({ strict: false }) as { id?: string };
  const search = useSearch({ strict: false }) as Record<string, unknown>;
  const sourceId = mode === 'edit' ? params.id : typeof search.from === 'string' ? search.from : undefined;
  const source = useQuery({ queryKey: ['entity', def.type, sourceId], queryFn: () => getEntity(def.type, sourceId!), enabled: !!sourceId, staleTime: 0 });
  if (sourceId && source.isLoading) return <Loader aria-label="Loading" />;
  if (source.error) return <Alert color="red" role="alert">{source.error.message}</Alert>;

  const fields = FORM_FIELDS[def.type] ?? [];
  const initial: Record<string, unknown> = source.data
    ? mode === 'edit' ? { ...source.data.data } : duplicateOf(source.data.data, fields)
    : Object.fromEntries(Object.entries(search).filter(([k]) => fields.includes(k) || k === 'workflow_id' || k === 'engine_name'));
  return <EntityForm key={sourceId ?? 'new'} def={def} mode={mode} initial={initial} entity={mode === 'edit' ? source.data : undefined} />;
}

export function EntityForm({ def, mode, initial, entity }: { def: EntityDef; mode: 'create' | 'edit'; initial: Record<string, unknown>; entity?: AnyEntity }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [data, setData] = useState<Record<string, unknown>>(initial);
  const [view, setView] = useState<'form' | 'json'>('form');
  const [serverError, setServerError] = useState<ApiRequestError | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ key: string; secret: string } | null>(null);
  const picked = PICKED_FIELDS[def.type] ?? [];
  const fields = FORM_FIELDS[def.type] ?? [];

  // an action's engine is its workflow's; the action type list and schema depend on it
  const workflow = useQuery({
    queryKey: ['entity', 'workflow', data.workflow_id],
    queryFn: () => getEntity('workflow', String(data.workflow_id)),
    enabled: def.type === 'action' && !!data.workflow_id,
  });
  const engineName = def.type === 'action' ? String(data.engine_name ?? workflow.data?.data.engine_name ?? '') : undefined;
  const schemaPath = schemaPathFor(def.type, { ...data, engine_name: engineName ?? data.engine_name });
  const schemaQuery = useQuery({
    queryKey: ['schema', schemaPath],
    queryFn: async () => (await api.get<{ results: JsonSchema }>(schemaPath!)).results,
    enabled: !!schemaPath,
    staleTime: 60_000,
  });
  const fullSchema = def.type === 'api_key' ? API_KEY_SCHEMA : schemaQuery.data;
  const schema = useMemo(() => (fullSchema ? formSchema(fullSchema, fields, picked) : null), [fullSchema, fields, picked]);
  const uiSchema = useMemo(() => (schema ? uiSchemaFor(schema) : {}), [schema]);
  const formData = useMemo(() => withoutNulls(Object.fromEntries(Object.entries(data).filter(([k]) => schema?.properties?.[k] !== undefined))), [data, schema]);
  const [invalid, setInvalid] = useState(false);
  const extraErrors = serverError ? (errorSchemaFor(serverError.pointer, serverError.message) as never) : undefined;

  async function save(all: Record<string, unknown>) {
    setBusy(true);
    setServerError(null);
    const body = cleanFormData(Object.fromEntries(Object.entries(all).filter(([k]) => fields.includes(k) || picked.includes(k)).filter(([k]) => k !== 'workflow_id' || def.type !== 'action')));
    try {
      if (mode === 'edit' && entity) {
        await api.put(`${def.apiPath}/${encodeURIComponent(entity.id)}`, { data: { ...entity.data, ...body }, version_id: entity.version_id });
        await queryClient.invalidateQueries();
        navigate({ to: itemHref(def.type, entity.id) });
        return;
      }
      const path = createPathFor(def.type, all);
      if (!path) throw new ApiRequestError(400, 'choose where it belongs first');
      const answer = await api.post<{ results: AnyEntity | AnyEntity[] }>(path, { data: body });
      const made = Array.isArray(answer.results) ? answer.results[0] : answer.results;
      await queryClient.invalidateQueries();
      if (def.type === 'api_key') {
        setCreated({ key: String(made.data.key), secret: String(made.data.secret) });
        return;
      }
      navigate({ to: def.type === 'action' && all.workflow_id ? itemHref('workflow', String(all.workflow_id)) : itemHref(def.type, made.id) });
    } catch (e) {
      setServerError(e instanceof ApiRequestError ? e : new ApiRequestError(0, (e as Error).message));
    } finally {
      setBusy(false);
    }
  }

  if (created) {
    return (
      <Stack maw={640}>
        <Title order={2}>API key created</Title>
        <Alert color="yellow" title="Copy the secret now">It is shown this once; dart keeps only a hash.</Alert>
        <Group><Code fz="md" data-testid="new-key">{created.key}:{created.secret}</Code>
          <CopyButton value={`${created.key}:${created.secret}`}>{({ copied, copy }) => <Button size="xs" onClick={copy}>{copied ? 'Copied' : 'Copy'}</Button>}</CopyButton>
        </Group>
        <Button variant="default" w="fit-content" onClick={() => navigate({ to: def.listRoute })}>Back to API keys</Button>
      </Stack>
    );
  }

  const verb = mode === 'edit' ? 'Edit' : 'New';
  return (
    <Stack maw={760}>
      <Group justify="space-between">
        <Title order={2}>{verb} {def.label.toLowerCase()}{mode === 'edit' ? `: ${String(initial.name ?? entity?.id)}` : ''}</Title>
        <SegmentedControl aria-label="Form or JSON" value={view} onChange={(v) => setView(v as 'form' | 'json')} data={[{ label: 'Form', value: 'form' }, { label: 'JSON', value: 'json' }]} />
      </Group>
      <Pickers def={def} mode={mode} data={data} setData={setData} engineName={engineName} />
      {serverError && <Alert color="red" role="alert" title="Not saved">{serverError.message}</Alert>}
      {invalid && !serverError && <Alert color="red" role="alert" title="Not saved">Some fields are not valid: see the messages under them.</Alert>}
      {schemaQuery.error && <Alert color="red" role="alert">{schemaQuery.error.message}</Alert>}
      {!schema && schemaPath && schemaQuery.isLoading && <Loader aria-label="Loading the form" />}
      {!schema && !schemaPath && def.type !== 'api_key' && <Text c="dimmed" size="sm">Choose the fields above to see the rest of the form.</Text>}
      {schema && view === 'form' && (
        <Form schema={schema as RJSFSchema} uiSchema={{ ...uiSchema, 'ui:submitButtonOptions': { norender: true } }} formData={formData} validator={validator}
          fields={FIELDS} noHtml5Validate showErrorList={false} extraErrors={extraErrors} onError={() => setInvalid(true)}
          onChange={(e) => setData((d) => ({ ...d, ...(e.formData as Record<string, unknown>) }))}
          onSubmit={(e) => { setInvalid(false); save({ ...data, ...(e.formData as Record<string, unknown>) }); }} id="entity-form">
          <Group mt="md">
            <Button type="submit" loading={busy}>{mode === 'edit' ? 'Save' : 'Create'}</Button>
            <Button variant="default" onClick={() => history.back()}>Cancel</Button>
          </Group>
        </Form>
      )}
      {schema && view === 'json' && <JsonView data={data} onSave={(d) => { setData(d); return save(d); }} busy={busy} />}
    </Stack>
  );
}

/** The whole document as JSON, for people who prefer typing it. */
function JsonView({ data, onSave, busy }: { data: Record<string, unknown>; onSave: (d: Record<string, unknown>) => void; busy: boolean }) {
  const [text, setText] = useState(() => JSON.stringify(data, null, 2));
  const [error, setError] = useState<string | null>(null);
  return (
    <Stack>
      <JsonInput label="Document (data)" value={text} onChange={setText} autosize minRows={10} maxRows={30} error={error} formatOnBlur />
      <Group>
        <Button loading={busy} onClick={() => {
          try {
            const parsed = JSON.parse(text);
            setError(null);
            onSave(parsed);
          } catch {
            setError('not valid JSON');
          }
        }}>Save JSON</Button>
      </Group>
    </Stack>
  );
}

/** The choices the form depends on: the engine, the parent, the action or trigger type, a step's dependencies. */
function Pickers({ def, mode, data, setData, engineName }: { def: EntityDef; mode: 'create' | 'edit'; data: Record<string, unknown>; setData: (f: (d: Record<string, unknown>) => Record<string, unknown>) => void; engineName?: string }) {
  const set = (k: string, v: unknown) => setData((d) => ({ ...d, [k]: v ?? undefined }));
  const engines = useQuery({ queryKey: ['engines-all'], queryFn: () => listEntities('/engine', { limit: 500, order_by: '["name ASC"]' }), enabled: def.type === 'datastore' || def.type === 'action' });
  const triggerTypes = useQuery({ queryKey: ['trigger-types'], queryFn: async () => (await api.get<{ results: TriggerType[] }>('/trigger_type')).results, enabled: def.type === 'trigger' });
  const steps = useQuery({
    queryKey: ['steps', data.workflow_id],
    queryFn: () => listEntities('/action', { limit: 500, filters: JSON.stringify([`workflow_id = ${data.workflow_id}`, 'state = TEMPLATE']), order_by: '["order_idx ASC"]' }),
    enabled: def.type === 'action' && !!data.workflow_id,
  });
  const workflows = useQuery({ queryKey: ['workflows-all'], queryFn: () => listEntities('/workflow', { limit: 1000, order_by: '["name ASC"]' }), enabled: def.type === 'trigger' });
  const editing = mode === 'edit';
  switch (def.type) {
    case 'datastore':
      return <Select label="Engine" required searchable disabled={editing} data={(engines.data?.results ?? []).map((e) => String(e.data.name))} value={(data.engine_name as string) ?? null} onChange={(v) => set('engine_name', v)} />;
    case 'workflow':
      return <EntityPicker type="datastore" label="Datastore" required disabled={editing} value={(data.datastore_id as string) ?? null} onChange={(v) => set('datastore_id', v)} />;
    case 'subscription':
      return <EntityPicker type="dataset" label="Dataset" required disabled={editing} value={(data.dataset_id as string) ?? null} onChange={(v) => set('dataset_id', v)} />;
    case 'trigger':
      return (
        <>
          <Select label="Trigger type" required disabled={editing} data={(triggerTypes.data ?? []).map((t) => ({ value: t.name, label: `${t.name}: ${t.description}` }))}
            value={(data.trigger_type_name as string) ?? null} onChange={(v) => set('trigger_type_name', v)} />
          <MultiSelect label="Workflows it runs" searchable data={(workflows.data?.results ?? []).map((w) => ({ value: w.id, label: String(w.data.name) }))}
            value={(data.workflow_ids as string[]) ?? []} onChange={(v) => set('workflow_ids', v)} />
        </>
      );
    case 'action': {
      const engine = (engines.data?.results ?? []).find((e) => e.data.name === engineName) as unknown as EngineEntity | undefined;
      const types = engine?.data.supported_action_types ?? [];
      const own = String(data.name ?? '');
      return (
        <>
          {!editing && <EntityPicker type="workflow" label="Workflow" required value={(data.workflow_id as string) ?? null} onChange={(v) => set('workflow_id', v)} />}
          <Select label="Action type" required searchable disabled={editing || !engine} description={engineName ? `Action types of ${engineName}` : 'Choose the workflow first'}
            data={types.map((t) => ({ value: t.name, label: t.description ? `${t.name}: ${t.description}` : t.name }))}
            value={(data.action_type_name as string) ?? null} onChange={(v) => set('action_type_name', v)} />
          {(!!data.workflow_id || editing) && (
            <MultiSelect label="Depends on" searchable description="Steps that must complete first; steps without a dependency between them run in parallel"
              data={(steps.data?.results ?? []).map((s) => String(s.data.name)).filter((n) => n !== own)}
              value={(data.depends_on as string[]) ?? []} onChange={(v) => set('depends_on', v.length ? v : undefined)} />
          )}
        </>
      );
    }
    default:
      return null;
  }
}
