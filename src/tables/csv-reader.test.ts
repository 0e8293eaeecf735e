import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LatheError } from '../domain/errors.js';
import { guessDelimiter, openCsv } from './csv-reader.js';
import { bytesOf } from './test-source.js';

async function readAll(text: string | Buffer, pieceSize = 7) {
  const reader = await openCsv(bytesOf(text, pieceSize));
  const rows: string[][] = [];
  const lines: number[] = [];
  for await (const b of reader.batches) {
    rows.push(...b.rows);
    lines.push(...b.lines);
  }
  return { header: reader.header, delimiter: reader.delimiter, rows, lines };
}

async function failure(text: string): Promise<LatheError> {
  try {
    await readAll(text);
  } catch (e) {
    if (e instanceof LatheError) return e;
    throw e;
  }
  throw new Error('expected the file to be refused');
}

describe('openCsv', () => {
  it('reads quoted fields with delimiters, doubled quotes and newlines inside', async () => {
    const r = await readAll('name,note\n"Smith, J.","He said ""hi""\nthen left"\nplain,x\n');
    expect(r.header).toEqual(['name', 'note']);
    expect(r.rows).toEqual([
      ['Smith, J.', 'He said "hi"\nthen left'],
      ['plain', 'x'],
    ]);
    // The second record starts on line 4 because the first one spans lines 2-3.
    expect(r.lines).toEqual([2, 4]);
  });

  it('drops a UTF-8 byte order mark and keeps multi-byte characters split across pieces', async () => {
    const r = await readAll(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('città,naïve\n€1,ü\n')]), 1);
    expect(r.header).toEqual(['città', 'naïve']);
    expect(r.rows).toEqual([['€1', 'ü']]);
  });

  it('reads CRLF line ends without leaving carriage returns in values', async () => {
    const r = await readAll('a,b\r\n1,"x\r\ny"\r\n3,4\r\n');
    expect(r.rows).toEqual([
      ['1', 'x\r\ny'],
      ['3', '4'],
    ]);
    expect(r.lines).toEqual([2, 4]);
  });

  it.each([
    [',', 'a,b,c\n1,2,3\n'],
    [';', 'a;b;c\n1,5;2,5;3\n'],
    ['\t', 'a\tb\tc\n1\t2\t3\n'],
    ['|', 'a|b|c\n1|2|3\n'],
  ])('detects the delimiter %j', async (delimiter, text) => {
    const r = await readAll(text);
    expect(r.delimiter).toBe(delimiter);
    expect(r.header).toEqual(['a', 'b', 'c']);
    expect(r.rows[0]).toHaveLength(3);
  });

  it('prefers the delimiter that splits every row the same way over one that appears inside values', () => {
    expect(guessDelimiter('city;note\nParis;a, b and c\nRome;d, e\n')).toBe(';');
  });

  it('honours an Excel "sep=" first line and counts it in row numbers', async () => {
    const r = await readAll('sep=;\r\na;b\r\n1,5;x\r\n');
    expect(r.delimiter).toBe(';');
    expect(r.header).toEqual(['a', 'b']);
    expect(r.rows).toEqual([['1,5', 'x']]);
    expect(r.lines).toEqual([3]);
  });

  it('skips blank lines but still counts them in row numbers', async () => {
    const r = await readAll('a,b\n\n1,2\n\n3,4');
    expect(r.rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(r.lines).toEqual([3, 5]);
  });

  it('keeps empty cells as empty strings (missing), never dropping them', async () => {
    const r = await readAll('a,b,c\n,2,\n');
    expect(r.rows).toEqual([['', '2', '']]);
  });

  it('refuses a row with too few values, naming its line and the first missing column', async () => {
    const e = await failure('a,b,c\n1,2,3\n"x\ny",2,3\n4,5\n');
    expect(e.code).toBe('INVALID_DATA');
    expect(e.details).toMatchObject({ row: 5, column: 'c' });
    expect(e.message).toContain('Row 5');
  });

  it('refuses a row with too many values, naming its line and the extra value', async () => {
    const e = await failure('a,b\n1,2\n3,4,5\n');
    expect(e.details).toMatchObject({ row: 3, column: 3 });
    expect(e.message).toContain('"5"');
  });

  it('refuses duplicate and empty header names, naming the column', async () => {
    const dup = await failure('a,b,a\n1,2,3\n');
    expect(dup.details).toMatchObject({ row: 1, column: 'a' });
    const empty = await failure('a,,c\n1,2,3\n');
    expect(empty.details).toMatchObject({ row: 1, column: 2 });
  });

  it('refuses a quote that is never closed', async () => {
    const e = await failure('a,b\n1,2\n3,"open\n');
    expect(e.code).toBe('INVALID_DATA');
    expect(e.details.row).toBe(3);
  });

  it('refuses an empty file and bytes that are not UTF-8', async () => {
    expect((await failure('')).message).toContain('empty');
    const bad = await readAll(Buffer.from([0x61, 0x0a, 0xff, 0xfe, 0x0a])).catch((e: LatheError) => e);
    expect(bad).toBeInstanceOf(LatheError);
    expect((bad as LatheError).message).toContain('UTF-8');
  });

  it('trims header names', async () => {
    expect((await readAll(' a , b\n1,2\n')).header).toEqual(['a', 'b']);
  });

  it('reads back any table written with RFC 4180 quoting, whatever the piece size', async () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', '"', '\n', 'é', '1'), maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 4 }).chain((w) => fc.array(fc.array(cell, { minLength: w, maxLength: w }), { minLength: 1, maxLength: 12 })),
        fc.integer({ min: 1, max: 50 }),
        async (rows, piece) => {
          const width = rows[0].length;
          const header = Array.from({ length: width }, (_, i) => `c${i}`);
          // (One-column files are left out: there an empty value and a blank line look alike, and blank lines are skipped.)
          const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
          const text = [header, ...rows].map((r) => r.map(quote).join(',')).join('\n') + '\n';
          const r = await readAll(text, piece);
          expect(r.header).toEqual(header);
          expect(r.rows).toEqual(rows);
        },
      ),
      { numRuns: 150 },
    );
  });
});
