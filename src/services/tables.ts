// Table services: import, append, replace, read. (Placeholder: the tables area fills this in.)
import type { Storage } from '../storage/open-store.js';

export function createTablesService(storage: Storage) {
  return { storage };
}

export type TablesService = ReturnType<typeof createTablesService>;
