// Runs the ModelStore contract against the SQL store on a real SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../open-store.js';
import { modelStoreContract } from './test-support/model-store-contract.js';
import { createSqlModelStore } from './sql-model-store.js';

modelStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-store-'));
  const storage = await openStorage({ dataDir: dir });
  return {
    store: createSqlModelStore(storage.db),
    async close() {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
