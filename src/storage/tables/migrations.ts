// Schema migrations of the tables area, in order.
import type { Migration } from '../migration.js';

export const tablesMigrations: Migration[] = [];
