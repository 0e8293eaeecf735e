// `lathe serve`: runs the API and the web app on the embedded database.
import type { Command } from 'commander';
import { serveSettings } from '../settings.js';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Run the Lathe server (API, docs and web app)')
    .option('--port <port>', 'port to listen on (env PORT, default 3000)')
    .option('--host <host>', 'address to bind (env HOST, default 127.0.0.1)')
    .option('--data-dir <dir>', 'data folder (env LATHE_DATA_DIR, default ./data)')
    .action(async (flags: { port?: string; host?: string; dataDir?: string }) => {
      const settings = serveSettings({ ...flags, dataDir: flags.dataDir ?? program.opts().dataDir });
      // Loaded here, not at the top: every other command starts faster without the server's modules.
      const [{ openLathe }, { startServer }] = await Promise.all([import('../../services/lathe.js'), import('../../server/serve.js')]);
      const lathe = await openLathe({ ...settings, samples: true });
      const server = await startServer(lathe, settings);
      console.log(`Lathe is running at ${server.url}  (API docs: ${server.url}/api/docs, data: ${settings.dataDir})`);
      const stop = async () => {
        await server.close();
        await lathe.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
