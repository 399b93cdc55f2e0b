import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * A single-page app: the engine serves build/ and answers every client route with index.html (see
 * engine/api/dashboard.ts), so nothing is prerendered or rendered on a server.
 * @type {import('@sveltejs/kit').Config}
 */
export default {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
  kit: {
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', precompress: false, strict: true }),
    // The engine marks /_app/immutable/* with a long cache; keep SvelteKit's default folder name.
    appDir: '_app',
  },
};
