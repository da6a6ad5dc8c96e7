import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vite';

const contract = fileURLToPath(new URL('../src/contract', import.meta.url));

/**
 * The web app talks only to the public API; it may import the API's zod contract
 * (`@contract/...`, src/contract: no IO) and nothing else from the server.
 * `npm run build:web` (bin/web-build.mjs) builds it; `cadenza serve` serves web/dist.
 */
export default defineConfig({
  plugins: [react(), tailwindcss()],
  resolve: { alias: { '@contract': contract, '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: {
    // No source maps in the served bundle; assets are content-hashed under /assets/.
    sourcemap: false,
    // dist/.vite/manifest.json: which chunks each page loads (bin/web-build.mjs sums them per page).
    manifest: true,
    assetsDir: 'assets',
    rolldownOptions: {
      output: {
        // Libraries every page needs, in chunks of their own: they change less often
        // than the app, so a new release re-downloads only what changed. Only what
        // the first page loads anyway belongs here (react-hook-form, TanStack Table
        // load with the pages that use them).
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'tanstack', test: /node_modules[\\/]@tanstack[\\/](react-router|router-core|history|react-query|query-core|react-store|store)[\\/]/ },
            { name: 'radix', test: /node_modules[\\/](@radix-ui|radix-ui|@floating-ui|react-remove-scroll|aria-hidden|use-sidecar|react-style-singleton|use-callback-ref|get-nonce|tslib)[\\/]/ },
            { name: 'zod', test: /node_modules[\\/]zod[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    // `npm run dev -w web` beside `npm start`: the API stays on its own port. '/t/' with its slash: '/t' would take /today too.
    proxy: { '/api': 'http://localhost:3000', '/t/': 'http://localhost:3000', '/u/': 'http://localhost:3000' },
  },
});
