// Streaming CSV/TSV reader over papaparse: decoding, delimiter and line-end detection, header and ragged-row checks.
import Papa from 'papaparse';
import { LatheError } from '../domain/errors.js';
import { quoteCell } from './cells.js';

/** Bytes or text, as a Node stream, a web ReadableStream or any async iterable yields them. */
export type ByteSource = AsyncIterable<Uint8Array | string>;

/** Records of one parsed slice of the input. */
export interface CsvBatch {
  /** One array of raw cell strings per record, each as long as the header. */
  rows: string[][];
  /** 1-based line of the file where each record starts (the header is line 1), parallel to `rows`. */
  lines: number[];
}

export interface CsvReader {
  /** Column names from the header row, trimmed, non-empty and unique. */
  header: string[];
  /** The detected delimiter: "," ";" "\t" or "|". */
  delimiter: string;
  /** The records after the header, a slice at a time (bounded memory: one slice is about 1 MB of text). */
  batches: AsyncGenerator<CsvBatch>;
  /** Bytes (or characters, for string sources) consumed so far. */
  bytesRead(): number;
}

export const DELIMITERS = [',', ';', '\t', '|'];
/** Text parsed at once; also the minimum sample delimiter detection sees. */
const SLICE_CHARS = 1 << 20;
/** A record longer than this means an unclosed quote; refuse instead of buffering the whole file. */
const MAX_RECORD_CHARS = 64 << 20;

interface RawResults {
  data: string[][];
  errors: { code: string; message: string; row?: number }[];
  meta: { cursor: number; delimiter: string; linebreak: string };
}
interface RawHandle {
  parse(input: string, baseIndex: number, ignoreLastRow: boolean): RawResults;
}
// papaparse's own chunk handle (delimiter/line-end guessing, resumable parsing); its typings omit it.
const ParserHandle = (Papa as unknown as { ParserHandle: new (config: object) => RawHandle }).ParserHandle;

export interface CsvOptions {
  /** Force a delimiter instead of detecting it. */
  delimiter?: string;
}

/** Reads the header, then hands out records slice by slice. Throws INVALID_DATA with {row, column} for bad files. */
export async function openCsv(source: ByteSource, options: CsvOptions = {}): Promise<CsvReader> {
  const state = { bytes: 0, delimiter: options.delimiter ?? '' };
  const records = parseRecords(source, state, options);
  let header: string[] | null = null;
  let headerLine = 1;
  let firstBatch: CsvBatch | null = null;
  while (!header) {
    const next = await records.next();
    if (next.done) throw new LatheError('INVALID_DATA', 'The file is empty: it needs a header row with the column names.', { row: 1 });
    const b = next.value;
    if (b.rows.length === 0) continue;
    header = b.rows[0];
    headerLine = b.lines[0];
    firstBatch = { rows: b.rows.slice(1), lines: b.lines.slice(1) };
  }
  const names = checkHeader(header, headerLine);
  async function* batches(): AsyncGenerator<CsvBatch> {
    if (firstBatch) {
      checkWidths(firstBatch, names);
      yield firstBatch;
      firstBatch = null;
    }
    for await (const b of records) {
      checkWidths(b, names);
      yield b;
    }
  }
  return { header: names, delimiter: state.delimiter, batches: batches(), bytesRead: () => state.bytes };
}

/** Trims header names and refuses empty or duplicate ones (no silent renaming: the user fixes the file). */
function checkHeader(raw: string[], line: number): string[] {
  const names = raw.map((n) => n.trim());
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    if (!name) {
      throw new LatheError('INVALID_DATA', `Column ${i + 1} has no name in the header row (line ${line}). Give every column a name.`, {
        row: line,
        column: i + 1,
      });
    }
    const before = seen.get(name);
    if (before !== undefined) {
      throw new LatheError(
        'INVALID_DATA',
        `The header row (line ${line}) names two columns "${name}" (columns ${before + 1} and ${i + 1}). Column names must be unique: rename one.`,
        { row: line, column: name },
      );
    }
    seen.set(name, i);
  });
  return names;
}

function checkWidths(batch: CsvBatch, header: string[]): void {
  const width = header.length;
  for (let i = 0; i < batch.rows.length; i++) {
    const row = batch.rows[i];
    if (row.length === width) continue;
    const line = batch.lines[i];
    if (row.length < width) {
      throw new LatheError(
        'INVALID_DATA',
        `Row ${line} has ${row.length} value${row.length === 1 ? '' : 's'} but the header has ${width} columns: column "${header[row.length]}" is missing.`,
        { row: line, column: header[row.length] },
      );
    }
    throw new LatheError(
      'INVALID_DATA',
      `Row ${line} has ${row.length} values but the header has ${width} columns: the extra value ${quoteCell(row[width])} (value ${width + 1}) has no column. A value that contains the delimiter must be in double quotes.`,
      { row: line, column: width + 1 },
    );
  }
}

/**
 * Picks the delimiter that splits the first records into the same number (> 1) of fields, the most
 * fields winning ties; blank lines are ignored (papaparse's own guess counts them and then misses tabs).
 */
export function guessDelimiter(sample: string): string {
  let best = ',';
  let bestScore = -Infinity;
  for (const delimiter of DELIMITERS) {
    const rows = new Papa.Parser({ delimiter, preview: 30 }).parse(sample, 0, false).data as string[][];
    // The sample may end inside a record: ignore the last one unless it is the only one.
    if (rows.length > 1) rows.pop();
    const counts = rows.filter((r) => !(r.length === 1 && r[0].trim() === '')).map((r) => r.length);
    if (counts.length === 0 || counts[0] < 2) continue;
    const differing = counts.filter((n) => n !== counts[0]).length;
    // Consistency first (a delimiter that appears inside values gives ragged counts), then width.
    const score = -differing * 1000 + counts[0];
    if (score > bestScore) {
      best = delimiter;
      bestScore = score;
    }
  }
  return best;
}

async function* parseRecords(source: ByteSource, state: { bytes: number; delimiter: string }, options: CsvOptions): AsyncGenerator<CsvBatch> {
  // fatal: invalid UTF-8 is an error rather than silent replacement characters; the BOM is dropped.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let handle: RawHandle | null = null;
  let partial = '';
  let baseIndex = 0;
  let line = 1;
  let pending = '';
  let sawText = false;

  function decode(piece: Uint8Array | string, last: boolean): string {
    try {
      if (typeof piece === 'string') return piece;
      return decoder.decode(piece, { stream: !last });
    } catch {
      throw new LatheError('INVALID_DATA', `The file is not UTF-8 text (invalid bytes near line ${line}). Save it as "CSV UTF-8" and try again.`, { row: line });
    }
  }

  function parse(text: string, final: boolean): CsvBatch {
    if (!handle) {
      // Excel writes a first line "sep=;" naming the delimiter: honour it and skip the line.
      const sep = /^sep=([,;\t|])\r?\n/.exec(text);
      if (sep) {
        text = text.slice(sep[0].length);
        line = 2;
      }
      handle = new ParserHandle({ delimiter: options.delimiter ?? sep?.[1] ?? guessDelimiter, skipEmptyLines: false });
    }
    const aggregate = partial + text;
    const results = handle.parse(aggregate, baseIndex, !final);
    if (!state.delimiter) state.delimiter = results.meta.delimiter;
    const nl = results.meta.linebreak === '\r' ? '\r' : '\n';
    const rows: string[][] = [];
    const lines: number[] = [];
    const lineOf: number[] = new Array(results.data.length);
    // Only quoted fields can hold line breaks: without a quote in the slice, every record is one line.
    const quoted = aggregate.indexOf('"') !== -1;
    for (let r = 0; r < results.data.length; r++) {
      const row = results.data[r];
      lineOf[r] = line;
      let newlines = 0;
      if (quoted) {
        for (let c = 0; c < row.length; c++) {
          const f = row[c];
          for (let k = f.indexOf(nl); k !== -1; k = f.indexOf(nl, k + 1)) newlines++;
        }
      }
      const startLine = line;
      line += 1 + newlines;
      if (row.length === 1 && row[0] === '') continue; // blank line
      rows.push(row);
      lines.push(startLine);
    }
    for (const e of results.errors) {
      if (e.code === 'UndetectableDelimiter') continue; // a one-column file: nothing to detect
      const at = e.row !== undefined && e.row < lineOf.length ? lineOf[e.row] : line;
      const what =
        e.code === 'MissingQuotes'
          ? 'a quoted value is never closed (a " is missing)'
          : e.code === 'InvalidQuotes'
            ? 'a quoted value has text after its closing quote (inside quotes, write a " as "")'
            : e.message;
      throw new LatheError('INVALID_DATA', `Row ${at}: ${what}.`, { row: at, column: null, reason: e.code });
    }
    partial = aggregate.substring(results.meta.cursor - baseIndex);
    baseIndex = results.meta.cursor;
    if (partial.length > MAX_RECORD_CHARS) {
      throw new LatheError('INVALID_DATA', `Row ${line}: a value runs over ${MAX_RECORD_CHARS >> 20} MB, most likely a quote that is never closed.`, {
        row: line,
        column: null,
      });
    }
    return { rows, lines };
  }

  for await (const piece of source) {
    state.bytes += piece.length;
    let text = decode(piece, false);
    if (!sawText && text.length > 0) {
      sawText = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // BOM of a string source
    }
    pending += text;
    if (pending.length < SLICE_CHARS) continue;
    const batch = parse(pending, false);
    pending = '';
    if (batch.rows.length > 0) yield batch;
  }
  pending += decode(new Uint8Array(0), true);
  if (!sawText && pending.charCodeAt(0) === 0xfeff) pending = pending.slice(1);
  const last = parse(pending, true);
  if (last.rows.length > 0) yield last;
}
