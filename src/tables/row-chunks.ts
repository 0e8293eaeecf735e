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
