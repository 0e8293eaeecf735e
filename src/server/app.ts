// The HTTP application: API routes, OpenAPI document, docs page, web app, one error handler.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Lathe } from '../services/lathe.js';
import { DOCS_PAGE } from './docs-page.js';
import { errorReply, handleError } from './error-status.js';
import { modelsRoutes } from './routes/models.js';
import { tablesRoutes } from './routes/tables.js';
import { routeOptions } from './validation-hook.js';

const WEB_DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'dist');
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

export function createApp(lathe: Lathe): OpenAPIHono {
  const app = new OpenAPIHono(routeOptions);
  app.onError(handleError);
  app.route('/api', tablesRoutes(lathe));
  app.route('/api', modelsRoutes(lathe));
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Lathe API',
      version: '0.1.0',
      description: 'Build, evaluate, version, publish and retrain machine-learning models on your own tables.',
    },
  });
  app.get('/api/docs', (c) => c.html(DOCS_PAGE));
  app.get('/api/health', (c) => c.json({ ok: true }));
  app.all('/api/*', (c) => errorReply(c, 'NOT_FOUND', `There is no API endpoint ${c.req.method} ${c.req.path}. See /api/docs.`));
  app.get('*', (c) => serveWeb(c.req.path) ?? c.text('Lathe API is running. The web app is not built: run `npm run build`. API docs: /api/docs', 200));
  return app;
}

/** Serves a file of the built web app, or its index.html for client-side routes. */
function serveWeb(path: string): Response | null {
  if (!existsSync(WEB_DIST)) return null;
  const rel = normalize(path).replace(/^(\.\.[/\\])+/, '');
  let file = join(WEB_DIST, rel);
  if (!file.startsWith(WEB_DIST) || !existsSync(file) || !extname(file)) file = join(WEB_DIST, 'index.html');
  if (!existsSync(file)) return null;
  const type = MIME[extname(file)] ?? 'application/octet-stream';
  const cache = file.includes(`${join(WEB_DIST, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache';
  return new Response(readFileSync(file), { headers: { 'content-type': type, 'cache-control': cache } });
}
