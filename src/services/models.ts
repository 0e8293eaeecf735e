// Model services: one function per lifecycle action. (Placeholder: the models area fills this in.)
import type { Storage } from '../storage/open-store.js';
import type { TablesService } from './tables.js';
import type { LatheOptions } from './options.js';

export function createModelsService(storage: Storage, tables: TablesService, options: Required<Omit<LatheOptions, 'databaseUrl'>>) {
  return { storage, tables, options, close: async () => {} };
}

export type ModelsService = ReturnType<typeof createModelsService>;
