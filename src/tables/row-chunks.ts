// Groups rows into immutable chunks (compact JSON arrays of raw cell strings), the unit of storage.

/** Rows per chunk at most; a chunk also closes early once its JSON passes CHUNK_CHARS (long text rows). */
export const CHUNK_ROWS = 5_000;
export const CHUNK_CHARS = 4 << 20;

export interface RowChunk {
  /** 0-based index, within its revision's row order, of the chunk's first row. */
  firstRow: number;
  rowCount: number;
  /** JSON array of rows; each row is an array of raw cell strings ("" = missing), in column order. */
  data: string;
}

export class RowChunker {
  private rows: string[] = [];
  private chars = 0;
  private next: number;
  constructor(firstRow = 0) {
    this.next = firstRow;
  }
  /** Adds a row already serialized as JSON; returns a full chunk when one closes. */
  push(rowJson: string): RowChunk | null {
    this.rows.push(rowJson);
    this.chars += rowJson.length + 1;
    return this.rows.length >= CHUNK_ROWS || this.chars >= CHUNK_CHARS ? this.flush() : null;
  }
  /** Closes the current chunk, if it holds any rows. */
  flush(): RowChunk | null {
    if (this.rows.length === 0) return null;
    const chunk = { firstRow: this.next, rowCount: this.rows.length, data: `[${this.rows.join(',')}]` };
    this.next += this.rows.length;
    this.rows = [];
    this.chars = 0;
    return chunk;
  }
  /** Rows pushed so far, including those of closed chunks. */
  get rowsSeen(): number {
    return this.next + this.rows.length;
  }
}

/** Parses a stored chunk back into rows of raw cell strings. */
export function chunkRows(data: string): string[][] {
  return JSON.parse(data) as string[][];
}

/**
 * Parses a stored chunk column by column: `result[c][r]` is the raw cell of column c in the chunk's
 * row r. Chunks are written by JSON.stringify of string arrays, so one without any backslash has the
 * exact shape [["…","…"],…] and is scanned directly (about twice as fast as JSON.parse, which
 * matters when a large table is read for training); anything else goes through JSON.parse.
 */
export function chunkColumns(data: string, width: number): string[][] {
  if (data.indexOf('\\') === -1) {
    const scanned = scanColumns(data, width);
    if (scanned) return scanned;
  }
  const rows = chunkRows(data);
  return Array.from({ length: width }, (_, c) => rows.map((r) => r[c]));
}

/** The fast path of chunkColumns; null when the text is not exactly the expected shape. */
function scanColumns(data: string, width: number): string[][] | null {
  const QUOTE = 34;
  const COMMA = 44;
  const OPEN = 91;
  const CLOSE = 93;
  const columns: string[][] = Array.from({ length: width }, () => []);
  const n = data.length;
  if (data.charCodeAt(0) !== OPEN) return null;
  let i = 1;
  if (data.charCodeAt(i) === CLOSE) return i === n - 1 ? columns : null;
  for (;;) {
    if (data.charCodeAt(i) !== OPEN) return null;
    i++;
    for (let c = 0; c < width; c++) {
      if (data.charCodeAt(i) !== QUOTE) return null;
      // Without backslashes no value contains an escaped quote, so the next quote closes it.
      const end = data.indexOf('"', i + 1);
      if (end === -1) return null;
      columns[c].push(data.slice(i + 1, end));
      const after = data.charCodeAt(end + 1);
      if (after !== (c === width - 1 ? CLOSE : COMMA)) return null;
      i = end + 2;
    }
    const next = data.charCodeAt(i);
    if (next === CLOSE) return i === n - 1 ? columns : null;
    if (next !== COMMA) return null;
    i++;
  }
}
