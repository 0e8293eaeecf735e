// How a CLI command reaches Lathe: a running server (--url) or the local data folder in process.
import { createClient, type LatheClient } from '../client/index.js';
import { localDataDir } from './settings.js';

export interface GlobalFlags {
  url?: string;
  dataDir?: string;
  json?: boolean;
}

/**
 * Runs `fn` with a client. With --url (or LATHE_URL) it talks HTTP to that server; otherwise it opens
 * the data folder in this process and sends the same requests to an in-process app, so both modes
 * share one code path.
 */
export async function withClient<T>(flags: GlobalFlags, fn: (client: LatheClient) => Promise<T>): Promise<T> {
  const url = flags.url ?? process.env.LATHE_URL;
  if (url) return fn(createClient({ baseUrl: url }));
  // Loaded only in local mode: a command talking to a server never pays for storage and engines.
  const [{ openLathe }, { createApp }] = await Promise.all([import('../services/lathe.js'), import('../server/app.js')]);
  const lathe = await openLathe({ dataDir: localDataDir(flags.dataDir), databaseUrl: process.env.LATHE_DATABASE_URL || undefined });
  try {
    const app = createApp(lathe);
    const client = createClient({
      baseUrl: 'http://local',
      fetch: async (input, init) => app.fetch(new Request(input, init)),
    });
    return await fn(client);
  } finally {
    await lathe.close();
  }
}
