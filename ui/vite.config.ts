import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// base stays '/': asset URLs must be absolute, or a reloaded deep link (/workflow/X) would look for /workflow/assets.
export default defineConfig({
  plugins: [react()],
  base: '/',
  server: { proxy: { '/api': process.env.DART_URL ?? 'http://localhost:5000' } },
  build: { chunkSizeWarningLimit: 2000 },
  test: {
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}'],
    // @rjsf/mantine imports dayjs plugins without their .js extension, which Node's ESM loader refuses
    server: { deps: { inline: ['@rjsf/mantine'] } },
  },
});
