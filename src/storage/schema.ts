// The whole database schema as Kysely sees it: the union of every area's tables.
import type { ModelsSchema } from './models/schema.js';
import type { TablesSchema } from './tables/schema.js';

export interface DB extends TablesSchema, ModelsSchema {}
