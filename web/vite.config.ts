// Vite build of the web app: root web/, output web/dist (served by src/server/app.ts), /api proxied in dev.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  // `npm run dev` serves the API on port 3000; the dev server forwards API calls there.
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
