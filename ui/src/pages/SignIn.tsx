import { useState } from 'react';
import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { ApiRequestError } from '../api/client';
import { parseCredentials } from '../auth/credentials';
import { useSession } from '../auth/session';

export function SignIn() {
  const { signIn } = useSession();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const creds = parseCredentials(text);
    if (!creds) {
      setError('Type the API key as key:secret, e.g. the admin key ./dart local printed.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await signIn(creds);
    } catch (err) {
      setError(err instanceof ApiRequestError && err.status === 401 ? 'This key and secret are not valid.' : String((err as Error).message));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w={420} maw="100%">
        <form onSubmit={submit}>
          <Stack>
            <Title order={2}>dart</Title>
            <Text size="sm" c="dimmed">
              Sign in with an API key. It is kept for this browser tab only.
            </Text>
            <PasswordInput label="API key (key:secret)" value={text} onChange={(e) => setText(e.currentTarget.value)} autoFocus autoComplete="off" data-autofocus />
            {error && <Alert color="red" role="alert">{error}</Alert>}
            <Button type="submit" loading={busy}>Sign in</Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
