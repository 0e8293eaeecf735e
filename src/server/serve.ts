// Starts the HTTP server on a port; resolves once it listens.
import { serve, type ServerType } from '@hono/node-server';
import type { Lathe } from '../services/lathe.js';
import { createApp } from './app.js';

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function startServer(lathe: Lathe, opts: { port: number; host: string }): Promise<RunningServer> {
  const app = createApp(lathe);
  return new Promise((resolve, reject) => {
    let server: ServerType | undefined = undefined;
    server = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host }, (info) => {
      const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((res) => {
            server?.close(() => res());
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
    server.once('error', reject);
  });
}
