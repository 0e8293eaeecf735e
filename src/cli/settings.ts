// Where the CLI and `npm start` read their settings: flags first, then environment, then defaults.
import { resolve } from 'node:path';

export interface ServeSettings {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  maxConcurrentRuns?: number;
}

export function serveSettings(flags: { port?: string; host?: string; dataDir?: string }, env = process.env): ServeSettings {
  const port = Number(flags.port ?? env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Port "${flags.port ?? env.PORT}" is not a valid port number (0-65535).`);
  const runs = env.LATHE_MAX_RUNS ? Number(env.LATHE_MAX_RUNS) : undefined;
  return {
    port,
    host: flags.host ?? env.HOST ?? '127.0.0.1',
    dataDir: resolve(flags.dataDir ?? env.LATHE_DATA_DIR ?? './data'),
    databaseUrl: env.LATHE_DATABASE_URL || undefined,
    maxConcurrentRuns: runs && runs > 0 ? runs : undefined,
  };
}

/** The data folder for local (serverless) CLI commands. */
export function localDataDir(flag: string | undefined, env = process.env): string {
  return resolve(flag ?? env.LATHE_DATA_DIR ?? './data');
}
