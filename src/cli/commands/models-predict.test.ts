// Predicting a CSV file larger than one request: batches of at most 10,000 rows, output in input order.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type LatheClient } from '../../client/index.js';
import { createApp } from '../../server/app.js';
import { openLathe, type Lathe } from '../../services/lathe.js';
import { PREDICT_BATCH_ROWS, predictCsv } from './models-predict.js';

const STUMP_ENGINE = fileURLToPath(new URL('../../training/test-support/stump-engine.ts', import.meta.url));

let dir: string;
let lathe: Lathe;
let client: LatheClient;
/** Row counts of the predict requests the client sent, in order. */
const predictBatches: number[] = [];
/** The `explain` field of each predict request the client sent. */
const explainSent: unknown[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lathe-predict-'));
  lathe = await openLathe({ dataDir: dir }, { engineModules: [STUMP_ENGINE] });
  const app = createApp(lathe);
  client = createClient({
    baseUrl: 'http://local',
    fetch: async (input, init) => {
      if (input.endsWith('/predict')) {
        const body = JSON.parse(String(init?.body));
        predictBatches.push(body.rows.length);
        explainSent.push(body.explain);
      }
      return app.fetch(new Request(input, init));
    },
  });
});

afterAll(async () => {
  await lathe?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A stdout stand-in that keeps what was written. */
function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

describe('predictCsv', () => {
  it('predicts 25,000 rows in batches of at most 10,000 and writes them in input order with the three outputs', async () => {
    const lines = ['x,colour,y'];
    for (let i = 0; i < 200; i++) lines.push(`${i},${['red', 'green'][i % 2]},${i >= 100 ? 'high' : 'low'}`);
    const table = await client.tables.upload(lines.join('\n'), { name: 'threshold' });
    const model = await client.models.create({ name: 'Stump', type: 'prediction', configuration: { tableId: table.id, target: 'y' } });
    const run = await client.models.train(model.id);
    expect((await client.models.waitForRun(run.id)).status).toBe('succeeded');
    await client.models.publish(model.id);

    const n = 25_000;
    // Semicolons and a quoted cell: the file is read by the same rules as a table import.
    const input = ['x;colour;note', ...Array.from({ length: n }, (_, i) => `${i % 200};blue;"row ${i}; as written"`)].join('\n');
    const file = join(dir, 'input.csv');
    writeFileSync(file, input);
    const out = sink();
    expect(await predictCsv(client, model.id, file, out.stream)).toBe(n);

    expect(predictBatches).toEqual([PREDICT_BATCH_ROWS, PREDICT_BATCH_ROWS, n - 2 * PREDICT_BATCH_ROWS]);
    const parsed = Papa.parse<Record<string, string>>(out.text(), { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual(['x', 'colour', 'note', 'prediction', 'probability', 'explanation']);
    expect(parsed.data).toHaveLength(n);
    // The stump's threshold lies near x = 100; ask the API directly what each x gets.
    const direct = await client.models.predict(model.id, Array.from({ length: 200 }, (_, x) => ({ x, colour: 'blue', note: '' })));
    const expected = direct.results.map((r) => r.prediction);
    expect(new Set(expected)).toEqual(new Set(['low', 'high']));
    parsed.data.forEach((row, i) => {
      expect(row.note).toBe(`row ${i}; as written`);
      expect(row.x).toBe(String(i % 200));
      expect(row.prediction).toBe(expected[i % 200]);
    });
  });

  it('with explain: false asks the server for no explanations and leaves the explanation column out', async () => {
    const model = (await client.models.list()).find((m) => m.published)!;
    const file = join(dir, 'small.csv');
    writeFileSync(file, ['x,colour', ...Array.from({ length: 200 }, (_, i) => `${i},red`)].join('\n'));
    const explained = sink();
    const bare = sink();
    explainSent.length = 0;
    expect(await predictCsv(client, model.id, file, explained.stream)).toBe(200);
    expect(await predictCsv(client, model.id, file, bare.stream, { explain: false })).toBe(200);
    expect(explainSent).toEqual([true, false]);

    const withColumn = Papa.parse<Record<string, string>>(explained.text(), { header: true, skipEmptyLines: true });
    const without = Papa.parse<Record<string, string>>(bare.text(), { header: true, skipEmptyLines: true });
    expect(withColumn.meta.fields).toEqual(['x', 'colour', 'prediction', 'probability', 'explanation']);
    expect(without.meta.fields).toEqual(['x', 'colour', 'prediction', 'probability']);
    expect(without.data).toEqual(withColumn.data.map(({ explanation: _, ...rest }) => rest));
  });

  it('writes nothing for a file whose first rows are malformed', async () => {
    const model = (await client.models.list()).find((m) => m.published)!;
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'x,colour\n1,red,extra\n');
    const out = sink();
    await expect(predictCsv(client, model.id, file, out.stream)).rejects.toMatchObject({ code: 'INVALID_DATA' });
    expect(out.text()).toBe('');
  });
});
