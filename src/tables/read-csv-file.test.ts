import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsvFile } from './read-csv-file.js';
import { isMissing } from './table-data.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function file(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-csv-'));
  dirs.push(dir);
  const path = join(dir, 'data.csv');
  writeFileSync(path, text);
  return path;
}

describe('readCsvFile', () => {
  it('returns typed columns where an empty cell is missing, never zero or ""', async () => {
    const t = await readCsvFile(file('n,c,b,d\n1,x,true,2024-01-01\n,,,\n3,y,false,\n'));
    expect(t.rowCount).toBe(3);
    expect(t.columns.map((c) => c.type)).toEqual(['number', 'category', 'boolean', 'date']);
    const [n, c, b, d] = t.columns;
    expect(Array.from(n.values as Float64Array)).toEqual([1, NaN, 3]);
    expect(c.values).toEqual(['x', null, 'y']);
    expect(Array.from(b.values as Float64Array)).toEqual([1, NaN, 0]);
    expect(Array.from(d.values as Float64Array)).toEqual([Date.UTC(2024, 0, 1), NaN, NaN]);
    expect([0, 1, 2].map((r) => isMissing(n, r))).toEqual([false, true, false]);
  });

  it('names the table after the file and applies type overrides', async () => {
    const t = await readCsvFile(file('zip,v\n1000,1\n2000,2\n'), { columnTypes: { zip: 'category' } });
    expect(t.name).toBe('data');
    expect(t.columns[0]).toEqual({ name: 'zip', type: 'category', values: ['1000', '2000'] });
    expect(t.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads the shared penguins dataset with its missing measurements', async () => {
    const t = await readCsvFile(join(import.meta.dirname, '../../../shared/datasets/penguins.csv'));
    expect(t.rowCount).toBe(344);
    const mass = t.columns.find((c) => c.name === 'body_mass_g')!;
    expect(mass.type).toBe('number');
    expect(Array.from(mass.values as Float64Array).filter(Number.isNaN)).toHaveLength(2);
    expect(t.columns.find((c) => c.name === 'sex')!.values.filter((v) => v === null)).toHaveLength(11);
  });
});
