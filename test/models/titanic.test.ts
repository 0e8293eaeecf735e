// End to end with the real prediction engine: the Titanic table imported through the tables
// service, trained in a worker, published, predicted, retrained and compared.
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type Harness } from './harness.js';

const TITANIC = fileURLToPath(new URL('../../../shared/datasets/titanic.csv', import.meta.url));
let h: Harness;

beforeAll(async () => {
  h = await openHarness({ stump: false });
});
afterAll(async () => {
  await h?.cleanup();
});

describe('a real prediction model on titanic.csv', () => {
  it('trains, publishes, predicts and reports its score and influence', async () => {
    const { lathe } = h;
    const table = await lathe.tables.importCsv({ source: createReadStream(TITANIC), name: 'titanic' });
    expect(table.rowCount).toBe(891);
    const model = await lathe.models.create({
      name: 'Survival',
      type: 'prediction',
      configuration: { tableId: table.id, target: 'survived', splitColumn: 'split' },
    });
    expect(model.draft?.validation.errors).toEqual([]);
    const run = await lathe.models.train(model.id);
    const stages: string[] = [];
    lathe.models.subscribeRun(run.id, (r) => stages.push(r.stage));
    const done = await lathe.models.waitForRun(run.id);
    expect(done.error).toBeNull();
    expect(done.status).toBe('succeeded');
    expect(stages.length).toBeGreaterThan(1);

    const trained = await lathe.models.get(model.id);
    const v1 = trained.lastTrained!;
    expect(v1.table).toMatchObject({ id: table.id, revision: 1, rowCount: 891 });
    expect(v1.metrics.accuracy).toBeGreaterThan(0.7);
    expect(v1.score.kind).toBe('grade');
    expect(v1.influence.length).toBeGreaterThan(0);
    expect(v1.influence.map((i) => i.column)).toContain('sex');

    await lathe.models.publish(model.id);
    const inputs = await lathe.models.inputs(model.id, 'published');
    expect(inputs.map((i) => i.name)).toContain('sex');
    const out = await lathe.models.predict(model.id, [
      { pclass: 1, sex: 'female', age: 30, fare: 80, embarked: 'C' },
      { pclass: 3, sex: 'male', age: 30, fare: 7, embarked: 'S' },
    ]);
    expect(out.version).toBe(1);
    expect(out.results).toHaveLength(2);
    expect(String(out.results[0].prediction)).not.toBe(String(out.results[1].prediction));

    const retrain = await lathe.models.retrain(model.id);
    expect((await lathe.models.waitForRun(retrain.id)).status).toBe('succeeded');
    const cmp = await lathe.models.compare(model.id, 1, 2);
    expect(cmp.data).toEqual({ sameTable: true, revisions: [1, 1], rowsAdded: 0, rowsRemoved: 0 });
    // Same data, same configuration, same seed: the same model.
    expect(cmp.metrics.every((m) => m.delta === 0)).toBe(true);
    expect(cmp.b.artifact?.sha256).toBe(cmp.a.artifact?.sha256);
  });
});
