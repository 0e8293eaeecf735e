// The prediction worker: same results as predicting on this thread, errors keep their code.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { PredictionPool } from './prediction-pool.js';
import { engine as stump } from './test-support/stump-engine.js';
import { thresholdTable } from './test-support/tables.js';

const STUMP = fileURLToPath(new URL('./test-support/stump-engine.ts', import.meta.url));
let pool: PredictionPool | undefined;
afterEach(async () => {
  await pool?.stop();
});

async function trained() {
  const result = await stump.train(thresholdTable(100), { tableId: 't1', target: 'y' }, { seed: 1, threads: 1, progress: () => {} });
  return result.artifact;
}

describe('prediction pool', () => {
  it('predicts in a worker exactly what the predictor gives on this thread, batch after batch', async () => {
    const artifact = await trained();
    pool = new PredictionPool([STUMP]);
    const rows = Array.from({ length: 300 }, (_, i) => ({ x: i % 100 }));
    const expected = stump.load(artifact).predict(rows);
    const [a, b] = await Promise.all([
      pool.predict({ modelType: 'prediction', predictorKey: 'm:1', artifact, rows }),
      pool.predict({ modelType: 'prediction', predictorKey: 'm:1', artifact, rows: rows.slice(0, 10) }),
    ]);
    expect(a).toEqual(expected);
    expect(b).toEqual(expected.slice(0, 10));
  });

  it('rejects with the engine error code and keeps serving afterwards', async () => {
    pool = new PredictionPool([STUMP]);
    const bad = new TextEncoder().encode('{"format":"other"}');
    await expect(pool.predict({ modelType: 'prediction', predictorKey: 'bad', artifact: bad, rows: [{ x: 1 }] })).rejects.toMatchObject({
      code: 'INVALID_DATA',
      message: 'This file is not a stump model.',
    });
    await expect(pool.predict({ modelType: 'vision', predictorKey: 'v', artifact: bad, rows: [{ x: 1 }] })).rejects.toMatchObject({ code: 'INVALID_CONFIGURATION' });
    const good = await pool.predict({ modelType: 'prediction', predictorKey: 'm:1', artifact: await trained(), rows: [{ x: 90 }] });
    expect(good).toEqual([{ prediction: 'high', probability: expect.any(Number) }]);
  });

  it('refuses new work once stopped', async () => {
    pool = new PredictionPool([STUMP]);
    await pool.stop();
    await expect(pool.predict({ modelType: 'prediction', predictorKey: 'm', artifact: new Uint8Array(), rows: [] })).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
