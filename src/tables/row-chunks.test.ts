import { describe, expect, it } from 'vitest';
import { CHUNK_CHARS, CHUNK_ROWS, chunkRows, RowChunker } from './row-chunks.js';

describe('RowChunker', () => {
  it('closes a chunk every CHUNK_ROWS rows, numbering rows from the given start', () => {
    const c = new RowChunker(10);
    const closed = [];
    for (let i = 0; i < CHUNK_ROWS + 2; i++) {
      const chunk = c.push(JSON.stringify([String(i)]));
      if (chunk) closed.push(chunk);
    }
    const last = c.flush();
    expect(closed.map((x) => [x.firstRow, x.rowCount])).toEqual([[10, CHUNK_ROWS]]);
    expect(last && [last.firstRow, last.rowCount]).toEqual([10 + CHUNK_ROWS, 2]);
    expect(chunkRows(last!.data)).toEqual([[String(CHUNK_ROWS)], [String(CHUNK_ROWS + 1)]]);
    expect(c.flush()).toBeNull();
  });

  it('closes a chunk early when its JSON grows past CHUNK_CHARS (long text rows)', () => {
    const c = new RowChunker();
    const long = JSON.stringify(['x'.repeat(CHUNK_CHARS / 4)]);
    expect([c.push(long), c.push(long), c.push(long)]).toEqual([null, null, null]);
    const chunk = c.push(long);
    expect(chunk?.rowCount).toBe(4);
  });
});
