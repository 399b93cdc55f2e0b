import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// `npx vite dev` in dashboard/ proxies the API to a running engine (TRIAGE_URL, default the `npm start` port).
const engine = process.env.TRIAGE_URL ?? 'http://127.0.0.1:7420';

export default defineConfig({
  plugins: [sveltekit()],
  server: { proxy: { '/api': engine } },
  build: { chunkSizeWarningLimit: 600 },
});
