import { Alert, Button, Stack } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { retryAction } from '../../api/operations';
import type { AnyEntity } from '../../api/types';
import { useSession } from '../../auth/session';
import { LogViewer } from '../../components/LogViewer';
import { isActionActive, LIVE_REFRESH_MS } from '../../lib/live';
import type { EntityView } from '../EntityViewPage';

const RETRYABLE = new Set(['HAS_NEVER_RUN', 'COMPLETED', 'FAILED', 'SKIPPED']);

function Retry({ action }: { action: AnyEntity }) {
  const { can } = useSession();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  // a run's steps are retried by resuming the run; ad-hoc actions (no run) are queued again here
  if (!can.run || action.data.workflow_instance_id || !RETRYABLE.has(String(action.data.state))) return null;
  return (
    <>
      <Button variant="default" onClick={async () => {
        try {
          await retryAction(action.id);
          await queryClient.invalidateQueries();
        } catch (e) {
          setError((e as Error).message);
        }
      }}>{action.data.state === 'HAS_NEVER_RUN' ? 'Run' : 'Run again'}</Button>
      {error && <Alert color="red" role="alert">{error}</Alert>}
    </>
  );
}

export const actionView: EntityView = {
  buttons: (a) => <Retry action={a} />,
  refresh: (a) => (isActionActive(a.data.state) ? LIVE_REFRESH_MS : false),
  tabs: [
    {
      value: 'logs', label: 'Logs', render: (a) => (
        <Stack>
          {!!a.data.error_message && <Alert color="red" title="Error">{String(a.data.error_message)}</Alert>}
          <LogViewer actionId={a.id} live={isActionActive(a.data.state)} endTime={a.data.end_time as string | null} />
        </Stack>
      ),
    },
  ],
};
