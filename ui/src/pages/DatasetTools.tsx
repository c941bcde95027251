import { useState } from 'react';
import { Alert, Button, FileButton, Group, JsonInput, NumberInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import type { AnyEntity } from '../api/types';
import { ENTITIES, itemHref } from '../lib/entities';
import { EntityForm } from './EntityFormPage';

/** Guess a dataset from one file in S3, review the guess in the dataset form, save it. */
export function DatasetGuessPage() {
  const [path, setPath] = useState('');
  const [lines, setLines] = useState<number | string>(100);
  const [guess, setGuess] = useState<{ n: number; data: Record<string, unknown> } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // the guess is an unsaved dataset entity, as the original answered it: the document is its data
      const r = await api.get<{ results: { data: Record<string, unknown> } }>('/dataset/guess', { s3_path: path.trim(), max_lines: lines });
      setGuess((g) => ({ n: (g?.n ?? 0) + 1, data: r.results.data }));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack maw={760}>
      <Title order={2}>Guess a dataset</Title>
      <Text size="sm" c="dimmed">dart reads the first lines of one file and proposes columns, types and format. Review them below, then save.</Text>
      <form onSubmit={run}>
        <Group align="flex-end" wrap="wrap">
          <TextInput label="S3 path of a file" placeholder="s3://bucket/folder/file.csv" value={path} onChange={(e) => setPath(e.currentTarget.value)} required w={420} maw="100%" />
          <NumberInput label="Lines to read" value={lines} onChange={setLines} min={1} max={10000} w={130} />
          <Button type="submit" loading={busy}>Guess</Button>
        </Group>
      </form>
      {error && <Alert color="red" role="alert">{error}</Alert>}
      {guess && <EntityForm key={guess.n} def={ENTITIES.dataset} mode="create" initial={guess.data} />}
    </Stack>
  );
}

/** Create a dataset from a Frictionless Data Package (pasted or from a file). */
export function FrictionlessImportPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save() {
    setError(null);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      setError('The package is not valid JSON.');
      return;
    }
    setBusy(true);
    try {
      const r = await api.post<{ results: AnyEntity }>('/dataset/frictionless', body);
      await queryClient.invalidateQueries();
      navigate({ to: itemHref('dataset', r.results.id) });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack maw={760}>
      <Title order={2}>Import a Frictionless data package</Title>
      <Text size="sm" c="dimmed">One resource with an inline Table Schema; its path is the dataset's s3:// location.</Text>
      <FileButton onChange={async (f) => f && setText(await f.text())} accept="application/json,.json">
        {(props) => <Button variant="default" w="fit-content" {...props}>Read a datapackage.json file</Button>}
      </FileButton>
      <JsonInput label="Data package" value={text} onChange={setText} autosize minRows={12} maxRows={30} formatOnBlur />
      {error && <Alert color="red" role="alert">{error}</Alert>}
      <Group><Button onClick={save} loading={busy}>Create the dataset</Button></Group>
    </Stack>
  );
}
