import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHUNK_CHARS, CHUNK_ROWS, chunkColumns, chunkRows, RowChunker } from './row-chunks.js';

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

describe('chunkColumns', () => {
  const transpose = (rows: string[][], width: number) => Array.from({ length: width }, (_, c) => rows.map((r) => r[c]));

  it('reads any stored chunk back column by column, with or without characters JSON escapes', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', ' ', ',', '"', '\\', '\n', '[', ']', 'é', '😀', '\u0001'), maxLength: 5 });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((w) => fc.tuple(fc.constant(w), fc.array(fc.array(cell, { minLength: w, maxLength: w }), { maxLength: 8 }))),
        ([width, rows]) => {
          expect(chunkColumns(JSON.stringify(rows), width)).toEqual(transpose(rows, width));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('takes the fast path and the JSON path to the same result', () => {
    const plain = [
      ['1', 'red', ''],
      ['2', 'blue green', 'x'],
    ];
    expect(chunkColumns(JSON.stringify(plain), 3)).toEqual(transpose(plain, 3));
    const escaped = [['say "hi"', 'a\\b', '']];
    expect(chunkColumns(JSON.stringify(escaped), 3)).toEqual(transpose(escaped, 3));
    expect(chunkColumns('[]', 2)).toEqual([[], []]);
  });
});
