// Schema migrations of the models area, in order.
import type { Migration } from '../migration.js';

export const modelsMigrations: Migration[] = [];
