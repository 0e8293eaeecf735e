// Loads a shared dataset CSV into TableData with papaparse (stand-in until src/tables/ ships readCsvFile).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import Papa from 'papaparse';
import type { TableData } from '../../src/tables/table-data.js';

/** Reads a CSV whose columns are all strings (text datasets): empty cell = null. */
export function readTextCsv(path: string): TableData {
  const parsed = Papa.parse<string[]>(readFileSync(path, 'utf8'), { skipEmptyLines: true });
  if (parsed.errors.length > 0) throw new Error(`${path}: ${parsed.errors[0].message} (row ${parsed.errors[0].row})`);
  const [header, ...rows] = parsed.data;
  return {
    tableId: basename(path, '.csv'),
    name: basename(path, '.csv'),
    revision: 1,
    digest: '',
    rowCount: rows.length,
    columns: header.map((name, c) => ({
      name,
      type: name === 'text' ? ('text' as const) : ('category' as const),
      values: rows.map((r) => (r[c] === undefined || r[c] === '' ? null : r[c])),
    })),
  };
}
