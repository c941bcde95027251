import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import '@mantine/core/styles.css';
import './styles.css';
import { SessionProvider } from './auth/session';
import { buildRouter } from './routes/registry';

const queryClient = new QueryClient({
  defaultOptions: {
    // Live pages ask for refreshes explicitly (only what is still running); nothing refetches on its own.
    queries: { refetchOnWindowFocus: false, retry: (n, e) => n < 1 && !('status' in e && Number(e.status) < 500), staleTime: 5_000 },
  },
});
const router = buildRouter();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider>
      <QueryClientProvider client={queryClient}>
        <SessionProvider>
          <RouterProvider router={router} />
        </SessionProvider>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
