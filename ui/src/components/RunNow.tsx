import { useState } from 'react';
import { Alert, Button, Group, JsonInput, Modal, Stack, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { runWorkflow } from '../api/operations';

/** "Run now" with optional parameters (handed to every step) and a callback URL (POSTed when the run ends). */
export function RunNow({ workflowId, onStarted }: { workflowId: string; onStarted?: () => void }) {
  const [opened, setOpened] = useState(false);
  const [params, setParams] = useState('');
  const [callback, setCallback] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const queryClient = useQueryClient();

  async function start() {
    setError(null);
    let parameters: Record<string, unknown> | undefined;
    if (params.trim()) {
      try {
        parameters = JSON.parse(params);
      } catch {
        setError('Parameters must be a JSON object.');
        return;
      }
    }
    setBusy(true);
    try {
      await runWorkflow(workflowId, { ...(parameters ? { parameters } : {}), ...(callback.trim() ? { callback_url: callback.trim() } : {}) });
      await queryClient.invalidateQueries();
      setOpened(false);
      onStarted?.();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Button onClick={() => setOpened(true)}>Run now</Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title="Run the workflow now" size="lg">
        <Stack>
          <JsonInput label="Parameters (JSON object, optional)" placeholder='{"date": "2026-12-01"}' value={params} onChange={setParams} autosize minRows={3} formatOnBlur />
          <TextInput label="Callback URL (optional)" placeholder="https://example.com/hook" value={callback} onChange={(e) => setCallback(e.currentTarget.value)} />
          {error && <Alert color="red" role="alert">{error}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)}>Cancel</Button>
            <Button onClick={start} loading={busy}>Start run</Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
