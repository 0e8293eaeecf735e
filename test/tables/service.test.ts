import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LatheError } from '../../src/domain/errors.js';
import type { Lathe } from '../../src/services/lathe.js';
import { CHUNK_ROWS } from '../../src/tables/row-chunks.js';
import { freshLathe, numberedCsv, removeTempDirs, source, tempDir } from './helpers.js';

let lathe: Lathe;
beforeEach(async () => {
  lathe = await freshLathe();
});
afterEach(async () => {
  await lathe.close();
});
afterAll(removeTempDirs);

async function refusal(p: Promise<unknown>): Promise<LatheError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof LatheError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

const chunksOf = (tableId: string) =>
  lathe.storage.db.selectFrom('lathe_table_chunks').selectAll().where('table_id', '=', tableId).orderBy('set_id').orderBy('seq').execute();

describe('tables service', () => {
  it('imports a CSV into revision 1 with inferred types, row count and digest', async () => {
    const t = await lathe.tables.importCsv({ source: source(numberedCsv(10)), name: 'Scores' });
    expect(t).toMatchObject({ name: 'Scores', revision: 1, rowCount: 10 });
    expect(t.columns.map((c) => c.type)).toEqual(['number', 'category', 'number']);
    expect(t.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(await lathe.tables.get(t.id)).toEqual(t);
    expect((await lathe.tables.list()).map((x) => x.id)).toEqual([t.id]);
  });

  it('stores large imports in chunks and reads them back in order', async () => {
    const n = CHUNK_ROWS * 2 + 17;
    const t = await lathe.tables.importCsv({ source: source(numberedCsv(n), 1000), name: 'Big' });
    expect(t.rowCount).toBe(n);
    expect((await chunksOf(t.id)).map((c) => c.row_count)).toEqual([CHUNK_ROWS, CHUNK_ROWS, 17]);
    const data = await lathe.tables.readData(t.id);
    const ids = data.columns[0].values as Float64Array;
    expect(ids.length).toBe(n);
    expect(ids.every((v, i) => v === i)).toBe(true);
    const page = await lathe.tables.rows(t.id, { offset: CHUNK_ROWS - 1, limit: 3 });
    expect(page.rows.map((r) => r[0])).toEqual([CHUNK_ROWS - 1, CHUNK_ROWS, CHUNK_ROWS + 1]);
    expect(page.total).toBe(n);
  });

  it('gives an append a new revision and digest while the old revision reads the same rows and digest', async () => {
    const t1 = await lathe.tables.importCsv({ source: source(numberedCsv(CHUNK_ROWS + 3)), name: 'T' });
    const before = await chunksOf(t1.id);
    const old = await lathe.tables.readData(t1.id);
    const t2 = await lathe.tables.appendCsv(t1.id, source(numberedCsv(4, 90_000)));
    expect(t2.revision).toBe(2);
    expect(t2.rowCount).toBe(t1.rowCount + 4);
    expect(t2.digest).not.toBe(t1.digest);

    const again = await lathe.tables.readData(t1.id, 1);
    expect(again.digest).toBe(t1.digest);
    expect(again.rowCount).toBe(old.rowCount);
    expect(again.columns).toEqual(old.columns);
    const latest = await lathe.tables.readData(t1.id);
    expect(Array.from((latest.columns[0].values as Float64Array).slice(-4))).toEqual([90_000, 90_001, 90_002, 90_003]);

    // The old chunks are byte-for-byte untouched: the append only added a chunk.
    const after = await chunksOf(t1.id);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after).toHaveLength(before.length + 1);
    const revs = await lathe.tables.revisions(t1.id);
    expect(revs.map((r) => [r.revision, r.kind, r.rowCount, r.rowsAdded, r.digest])).toEqual([
      [2, 'append', t2.rowCount, 4, t2.digest],
      [1, 'import', t1.rowCount, t1.rowCount, t1.digest],
    ]);
  });

  it('computes the same digest for the same content imported twice', async () => {
    const a = await lathe.tables.importCsv({ source: source(numberedCsv(20), 5), name: 'A' });
    const b = await lathe.tables.importCsv({ source: source(numberedCsv(20), 999), name: 'B' });
    expect(a.digest).toBe(b.digest);
    const c = await lathe.tables.importCsv({ source: source(numberedCsv(20)), name: 'C', columnTypes: { group: 'text' } });
    expect(c.digest).not.toBe(a.digest);
  });

  it('appends JSON rows, with missing keys as missing values', async () => {
    const t = await lathe.tables.importCsv({ source: source(numberedCsv(3)), name: 'J' });
    const t2 = await lathe.tables.appendRows(t.id, [{ id: 100, group: 'g9' }, { id: '101', score: 2.5, group: null }]);
    expect(t2.rowCount).toBe(5);
    const page = await lathe.tables.rows(t.id, { offset: 3 });
    expect(page.rows).toEqual([
      [100, 'g9', null],
      [101, null, 2.5],
    ]);
  });

  it('refuses appended values that do not fit a column type, naming row and column, and changes nothing', async () => {
    const t = await lathe.tables.importCsv({ source: source(numberedCsv(3)), name: 'R' });
    const e = await refusal(lathe.tables.appendCsv(t.id, source('id,group,score\n5,g1,1\n6,g2,abc\n')));
    expect(e.code).toBe('INVALID_DATA');
    expect(e.details).toMatchObject({ row: 3, column: 'score', value: 'abc' });
    const j = await refusal(lathe.tables.appendRows(t.id, [{ id: 1 }, { id: 2, colour: 'red' }]));
    expect(j.details).toMatchObject({ row: 2, column: 'colour' });
    const u = await refusal(lathe.tables.appendCsv(t.id, source('id,colour\n1,red\n')));
    expect(u.details).toMatchObject({ column: 'colour' });
    expect(await lathe.tables.get(t.id)).toEqual(t);
    expect((await chunksOf(t.id)).length).toBe(1);
  });

  it('leaves no table behind when an import fails after chunks were written', async () => {
    const good = numberedCsv(CHUNK_ROWS * 2);
    const bad = good + '1,2\n';
    const e = await refusal(lathe.tables.importCsv({ source: source(bad), name: 'Broken' }));
    expect(e.details).toMatchObject({ row: CHUNK_ROWS * 2 + 2, column: 'score' });
    expect(await lathe.tables.list()).toEqual([]);
    expect(await lathe.storage.db.selectFrom('lathe_table_chunks').selectAll().execute()).toEqual([]);
    expect(await lathe.storage.db.selectFrom('lathe_tables').selectAll().execute()).toEqual([]);
    // The name is free again.
    await lathe.tables.importCsv({ source: source(good), name: 'Broken' });
  });

  it('keeps a table invisible to readers while its import is still running', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    // Over 1 MB before the pause, so the reader parses and stores chunks before the source stalls.
    const head = numberedCsv(100_000);
    async function* slow(): AsyncGenerator<Uint8Array> {
      yield* source(head);
      await gate;
      yield Buffer.from('1,g1,2\n');
    }
    const importing = lathe.tables.importCsv({ source: slow(), name: 'Slow' });
    // Wait until the first chunk is in the database, then look.
    while ((await lathe.storage.db.selectFrom('lathe_table_chunks').select('seq').execute()).length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(await lathe.tables.list()).toEqual([]);
    release();
    const t = await importing;
    expect(t.rowCount).toBe(100_001);
    expect((await lathe.tables.list()).map((x) => x.name)).toEqual(['Slow']);
  });

  it('recovers from a writer that crashed mid-append: its stale lock and orphan chunks are cleared', async () => {
    const t = await lathe.tables.importCsv({ source: source(numberedCsv(3)), name: 'Crash' });
    const longAgo = new Date(Date.now() - 60 * 60_000).toISOString();
    await lathe.storage.db.updateTable('lathe_tables').set({ lock_token: 'dead-writer', lock_at: longAgo }).where('id', '=', t.id).execute();
    await lathe.storage.db
      .insertInto('lathe_table_chunks')
      .values({ table_id: t.id, set_id: 1, seq: 1, first_row: 3, row_count: 1, data: '[["999","g0","1"]]' })
      .execute();
    expect(await lathe.tables.get(t.id)).toEqual(t);
    const t2 = await lathe.tables.appendRows(t.id, [{ id: 4 }]);
    expect(t2.rowCount).toBe(4);
    const ids = (await lathe.tables.readData(t.id)).columns[0].values as Float64Array;
    expect(Array.from(ids)).toEqual([0, 1, 2, 4]);
  });

  it('refuses a change while another live writer holds the table', async () => {
    const t = await lathe.tables.importCsv({ source: source(numberedCsv(3)), name: 'Busy' });
    await lathe.storage.db.updateTable('lathe_tables').set({ lock_token: 'other-process', lock_at: new Date().toISOString() }).where('id', '=', t.id).execute();
    const e = await refusal(lathe.tables.appendRows(t.id, [{ id: 4 }]));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toContain('is being changed');
  });

  it('refuses a taken name with CONFLICT and names outside 1-100 characters', async () => {
    await lathe.tables.importCsv({ source: source(numberedCsv(1)), name: 'Same' });
    expect((await refusal(lathe.tables.importCsv({ source: source(numberedCsv(1)), name: 'Same' }))).code).toBe('CONFLICT');
    expect((await refusal(lathe.tables.importCsv({ source: source(numberedCsv(1)), name: '' }))).code).toBe('INVALID_INPUT');
    expect((await refusal(lathe.tables.importCsv({ source: source(numberedCsv(1)), name: 'x'.repeat(101) }))).code).toBe('INVALID_INPUT');
    const d = await lathe.tables.importCsv({ source: source(numberedCsv(1)), defaultName: 'Same' });
    expect(d.name).toBe('Same (2)');
  });

  it('changes a column type as a new revision with the same rows, and refuses a type a value does not fit', async () => {
    const t = await lathe.tables.importCsv({ source: source(numberedCsv(5)), name: 'Types' });
    const t2 = await lathe.tables.update(t.id, { columnTypes: { id: 'category' } });
    expect(t2.revision).toBe(2);
    expect(t2.columns[0]).toEqual({ name: 'id', type: 'category', inferredType: 'number' });
    expect((await lathe.tables.readData(t.id)).columns[0].values).toEqual(['0', '1', '2', '3', '4']);
    expect((await lathe.tables.readData(t.id, 1)).columns[0].type).toBe('number');
    const e = await refusal(lathe.tables.update(t.id, { columnTypes: { group: 'number' }, name: 'Renamed' }));
    expect(e.details).toMatchObject({ row: 1, column: 'group' });
    expect((await lathe.tables.get(t.id)).name).toBe('Types');
    await lathe.tables.importCsv({ source: source(numberedCsv(1)), name: 'Other' });
    expect((await refusal(lathe.tables.update(t.id, { name: 'Other', columnTypes: { group: 'text' } }))).code).toBe('CONFLICT');
    expect((await lathe.tables.get(t.id)).revision).toBe(2);
    const renamed = await lathe.tables.update(t.id, { name: 'Renamed' });
    expect(renamed).toMatchObject({ name: 'Renamed', revision: 2 });
  });

  it('replaces the contents with a new chunk set while earlier revisions stay readable', async () => {
    const t = await lathe.tables.importCsv({ source: source(numberedCsv(4)), name: 'Rep' });
    const t2 = await lathe.tables.replaceCsv(t.id, source('x,y\n2024-01-01,yes\n2024-01-02,no\n'));
    expect(t2).toMatchObject({ revision: 2, rowCount: 2 });
    expect(t2.columns.map((c) => c.type)).toEqual(['date', 'boolean']);
    expect((await lathe.tables.readData(t.id, 1)).rowCount).toBe(4);
    expect((await lathe.tables.rows(t.id, { revision: 1, limit: 1 })).rows).toEqual([[0, 'g0', null]]);
  });

  it('serializes concurrent appends to one table so every row lands once', async () => {
    const t = await lathe.tables.importCsv({ source: source(numberedCsv(2)), name: 'Race' });
    await Promise.all([1, 2, 3].map((i) => lathe.tables.appendRows(t.id, [{ id: i * 1000 }])));
    const final = await lathe.tables.get(t.id);
    expect(final).toMatchObject({ revision: 4, rowCount: 5 });
  });

  it('answers NOT_FOUND for unknown tables and revisions', async () => {
    expect((await refusal(lathe.tables.get('nope'))).code).toBe('NOT_FOUND');
    const t = await lathe.tables.importCsv({ source: source(numberedCsv(2)), name: 'N' });
    expect((await refusal(lathe.tables.readData(t.id, 9))).code).toBe('NOT_FOUND');
    await lathe.tables.delete(t.id);
    expect((await refusal(lathe.tables.readData(t.id))).code).toBe('NOT_FOUND');
  });

  it('lets a registered guard refuse a delete, leaving the table in place', async () => {
    const t = await lathe.tables.importCsv({ source: source(numberedCsv(2)), name: 'Guarded' });
    lathe.tables.guardDelete((table) => {
      throw new LatheError('CONFLICT', `Table "${table.name}" is used by a model.`);
    });
    expect((await refusal(lathe.tables.delete(t.id))).message).toBe('Table "Guarded" is used by a model.');
    expect((await lathe.tables.get(t.id)).id).toBe(t.id);
  });

  it('previews the first rows and inferred types without saving', async () => {
    const p = await lathe.tables.preview(source(numberedCsv(50)), { rows: 2 });
    expect(p.rows).toEqual([
      ['0', 'g0', ''],
      ['1', 'g1', '0.5'],
    ]);
    expect(p.columns.map((c) => c.type)).toEqual(['number', 'category', 'number']);
    expect(await lathe.tables.list()).toEqual([]);
  });

  it('imports the sample tables once, only into an empty database', async () => {
    const first = await lathe.tables.importSamplesIfEmpty();
    expect(first.map((t) => t.name)).toEqual(['Penguins', 'Adult income (5,000 rows)', 'SMS spam', 'Bike sharing 2011 (hourly)']);
    expect(first.map((t) => t.rowCount)).toEqual([344, 5000, 5574, 8645]);
    expect(first.every((t) => !t.columns.some((c) => c.name === 'split'))).toBe(true);
    expect(first[2].columns.find((c) => c.name === 'text')?.type).toBe('text');
    expect(await lathe.tables.importSamplesIfEmpty()).toEqual([]);
  });
});

describe('sample tables at start', () => {
  it('are imported by openLathe only with samples: true, and only once', async () => {
    const { openLathe } = await import('../../src/services/lathe.js');
    const dir = tempDir();
    const plain = await openLathe({ dataDir: dir });
    expect(await plain.tables.list()).toEqual([]);
    await plain.close();
    const seeded = await openLathe({ dataDir: dir, samples: true });
    expect((await seeded.tables.list()).length).toBe(4);
    await seeded.close();
    const again = await openLathe({ dataDir: dir, samples: true });
    expect((await again.tables.list()).length).toBe(4);
    await again.close();
  });
});
