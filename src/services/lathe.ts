// The composition root of the services: one Lathe instance over one database and data folder.
import { openStorage, type Storage } from '../storage/open-store.js';
import { createModelsService, type ModelsService } from './models/index.js';
import { withDefaults, type LatheOptions } from './options.js';
import { createTablesService, type TablesService } from './tables.js';

export interface Lathe {
  options: ReturnType<typeof withDefaults>;
  storage: Storage;
  tables: TablesService;
  models: ModelsService;
  close(): Promise<void>;
}

/** `extra.engineModules`: engines (module paths exporting `engine`) that replace built-in ones, e.g. small test learners. */
export async function openLathe(options: LatheOptions, extra: { engineModules?: string[] } = {}): Promise<Lathe> {
  const resolved = withDefaults(options);
  const storage = await openStorage(resolved);
  const tables = createTablesService(storage);
  if (resolved.samples) await tables.importSamplesIfEmpty();
  let models: ModelsService;
  try {
    models = await createModelsService(storage, tables, { ...resolved, engineModules: extra.engineModules });
  } catch (e) {
    await storage.close();
    throw e;
  }
  return {
    options: resolved,
    storage,
    tables,
    models,
    async close() {
      await models.close();
      await storage.close();
    },
  };
}
