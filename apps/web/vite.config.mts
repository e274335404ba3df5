import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The gateway the dev server sends API calls to (`npm start` runs it on 4000). */
const gateway = process.env.SAMSERVICE_GATEWAY ?? 'http://127.0.0.1:4000';

/**
 * apps/web: built into dist/apps/web, which the gateway serves at its origin; `npm run
 * web:dev` serves it with hot reload and passes /graphql (also WebSocket) and /auth on.
 */
export default defineConfig({
  root: here,
  plugins: [vue()],
  build: {
    outDir: path.resolve(here, '../../dist/apps/web'),
    emptyOutDir: true,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 600,
  },
  server: {
    port: 5173,
    proxy: {
      '/graphql': { target: gateway, ws: true },
      '/auth': { target: gateway },
    },
  },
});
