// `lathe predict MODEL FILE.csv [--no-explain]`: streams a CSV file's rows to the published version in batches and writes CSV to stdout.
import { createReadStream } from 'node:fs';
import Papa from 'papaparse';
import type { LatheClient } from '../../client/index.js';
import type { InputField } from '../../client/models.js';
import { isMissingCell, parseBooleanCell, parseNumberCell } from '../../tables/cells.js';
import { openCsv } from '../../tables/csv-reader.js';
import { predictionCells } from './models-format.js';

/** The API's limit on rows per predict request. */
export const PREDICT_BATCH_ROWS = 10_000;

const OUTPUTS = ['prediction', 'probability', 'explanation'] as const;

/** A CSV cell as the model expects it for that input, read by the same rules as a table import; empty = missing. */
function cellValue(raw: string, field: InputField | undefined): unknown {
  if (isMissingCell(raw)) return null;
  if (field?.type === 'number') {
    const n = parseNumberCell(raw);
    // A cell that is not a number is sent as written, so the server's error names the field.
    return Number.isNaN(n) ? raw : n;
  }
  if (field?.type === 'boolean') {
    const b = parseBooleanCell(raw);
    return Number.isNaN(b) ? raw : b === 1;
  }
  return raw;
}

async function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
}

/**
 * Reads the CSV as a stream (comma, semicolon, tab or pipe; same rules as `lathe tables import`),
 * sends its rows to the published version in batches of at most 10,000, and writes the input
 * columns followed by prediction, probability and explanation (left out with `explain: false`,
 * which the server then skips computing). Memory stays at about one batch.
 * Returns the number of rows predicted.
 */
export async function predictCsv(
  client: LatheClient,
  modelId: string,
  file: string,
  out: NodeJS.WritableStream,
  options: { explain?: boolean; onBatch?: (rowsDone: number, bytesRead: number) => void } = {},
): Promise<number> {
  const explain = options.explain ?? true;
  const fields = new Map((await client.models.inputs(modelId, 'published')).map((f) => [f.name, f]));
  const csv = await openCsv(createReadStream(file));
  const columns = csv.header;
  // An input column named like an output keeps its name; the output gets a suffix.
  const outputs = explain ? OUTPUTS : OUTPUTS.filter((o) => o !== 'explanation');
  const outNames = outputs.map((o) => (columns.includes(o) ? `${o}_predicted` : o));
  // The header goes out with the first batch, so a file that is bad from its start writes nothing.
  let headerWritten = false;
  const writeHeader = async () => {
    if (headerWritten) return;
    headerWritten = true;
    await write(out, Papa.unparse([[...columns, ...outNames]], { newline: '\n' }) + '\n');
  };

  let done = 0;
  let pending: string[][] = []; // raw cells of rows not yet sent, at most PREDICT_BATCH_ROWS
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const inputs = batch.map((row) => Object.fromEntries(columns.map((c, j) => [c, cellValue(row[j], fields.get(c))])));
    const { results } = await client.models.predict(modelId, inputs, { explain });
    const lines = batch.map((row, i) => {
      const cells = predictionCells(results[i] ?? {});
      return [...row, ...outputs.map((o) => cells[o])];
    });
    await writeHeader();
    await write(out, Papa.unparse(lines, { newline: '\n' }) + '\n');
    done += batch.length;
    options.onBatch?.(done, csv.bytesRead());
  };
  for await (const { rows } of csv.batches) {
    for (const row of rows) {
      pending.push(row);
      if (pending.length === PREDICT_BATCH_ROWS) await flush();
    }
  }
  await flush();
  await writeHeader();
  return done;
}
