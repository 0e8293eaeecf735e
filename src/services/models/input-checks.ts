// Checks of values callers send (configurations, quick test inputs, rows to predict) before the rules see them.
import { LatheError } from '../../domain/errors.js';
import type { CellInput, RowInput } from '../../tables/table-data.js';

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkCell(v: unknown, where: string): CellInput {
  if (v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  throw new LatheError('INVALID_INPUT', `${where} must be a text, a number, true/false or null, not ${Array.isArray(v) ? 'a list' : typeof v}.`);
}

export function checkRow(row: unknown, where: string): RowInput {
  if (!isObject(row)) throw new LatheError('INVALID_INPUT', `${where} must be an object of column name to value.`);
  const out: RowInput = {};
  for (const [k, v] of Object.entries(row)) out[k] = checkCell(v, `${where}, column "${k}",`);
  return out;
}
