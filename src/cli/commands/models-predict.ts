// `lathe predict MODEL FILE.csv`: predicts a CSV file's rows in batches and writes CSV to stdout.
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import type { LatheClient } from '../../client/index.js';
import type { InputField } from '../../client/models.js';
import { predictionCells } from './models-format.js';

/** The API's limit on rows per predict request. */
export const PREDICT_BATCH_ROWS = 10_000;

const OUTPUTS = ['prediction', 'probability', 'explanation'] as const;

/** Turns a CSV cell into the value the model expects for that input: empty = missing. */
function cellValue(text: string | undefined, field: InputField | undefined): unknown {
  if (text === undefined || text === '') return null;
  if (field?.type === 'number') {
    const n = Number(text);
    // A cell that is not a number is sent as written, so the server names the field in its error.
    return Number.isFinite(n) ? n : text;
  }
  if (field?.type === 'boolean') {
    const t = text.trim().toLowerCase();
    if (['true', 'yes', '1'].includes(t)) return true;
    if (['false', 'no', '0'].includes(t)) return false;
  }
  return text;
}

async function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
}

/**
 * Reads the CSV, sends its rows to the published version in batches of at most 10,000, and writes
 * the input columns followed by prediction, probability and explanation. Returns the row count.
 */
export async function predictCsv(
  client: LatheClient,
  modelId: string,
  file: string,
  out: NodeJS.WritableStream,
  onBatch?: (done: number, total: number) => void,
): Promise<number> {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: 'greedy',
  });
  const ragged = parsed.errors.find((e) => e.type === 'FieldMismatch' || e.type === 'Quotes');
  if (ragged) throw new Error(`${file}: ${ragged.message} (data row ${(ragged.row ?? 0) + 1}).`);
  const columns = parsed.meta.fields ?? [];
  if (columns.length === 0) throw new Error(`${file} has no header row.`);
  const fields = new Map((await client.models.inputs(modelId, 'published')).map((f) => [f.name, f]));
  // An input column named like an output keeps its name; the output gets a suffix.
  const outNames = OUTPUTS.map((o) => (columns.includes(o) ? `${o}_predicted` : o));
  const rows = parsed.data;
  await write(out, Papa.unparse([[...columns, ...outNames]]) + '\n');
  for (let start = 0; start < rows.length; start += PREDICT_BATCH_ROWS) {
    const batch = rows.slice(start, start + PREDICT_BATCH_ROWS);
    const inputs = batch.map((row) => Object.fromEntries(columns.map((c) => [c, cellValue(row[c], fields.get(c))])));
    const { results } = await client.models.predict(modelId, inputs);
    const lines = batch.map((row, i) => {
      const cells = predictionCells(results[i] ?? {});
      return [...columns.map((c) => row[c] ?? ''), cells.prediction, cells.probability, cells.explanation];
    });
    await write(out, Papa.unparse(lines, { newline: '\n' }) + '\n');
    onBatch?.(Math.min(rows.length, start + batch.length), rows.length);
  }
  return rows.length;
}
