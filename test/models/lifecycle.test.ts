// Every lifecycle action through the real models service: SQLite file, tables service, worker threads.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PREDICT_ON_THREAD_ROWS } from '../../src/services/models/index.js';
import { appendCsv, importCsv, openHarness, thresholdCsv, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await openHarness();
});
afterEach(async () => {
  await h.cleanup();
});

const rejects = async (p: Promise<unknown>, code: string, message: RegExp | string) => {
  const err = await p.then(
    () => null,
    (e: unknown) => e as { code: string; message: string },
  );
  expect(err, 'expected a refusal').not.toBeNull();
  expect(err!.code).toBe(code);
  if (typeof message === 'string') expect(err!.message).toBe(message);
  else expect(err!.message).toMatch(message);
};

async function trainedModel(name = 'Churn') {
  const { lathe } = h;
  const table = await importCsv(lathe, `t-${name}`, thresholdCsv(60));
  const model = await lathe.models.create({ name, type: 'prediction', configuration: { tableId: table.id, target: 'y' } });
  const run = await lathe.models.train(model.id);
  const done = await lathe.models.waitForRun(run.id);
  expect(done.status).toBe('succeeded');
  return { table, model: await lathe.models.get(model.id), run: done };
}

describe('models service lifecycle', () => {
  it('walks create → train → publish → new version → discard → retrain → unpublish → rollback → delete', async () => {
    const { lathe } = h;
    const m = lathe.models;
    const table = await importCsv(lathe, 'customers', thresholdCsv(60));

    const created = await m.create({ name: '  Churn  ', type: 'prediction', configuration: { tableId: table.id } });
    expect(created.name).toBe('Churn');
    expect(created.draft?.validation.errors.map((e) => e.code)).toContain('INVALID_SETTING');
    expect(created.actions.newVersion).toEqual({ allowed: false, reason: 'This model has a draft. Resume or discard the draft before creating a new version.' });

    await rejects(m.train(created.id), 'INVALID_CONFIGURATION', /^The draft cannot be trained yet: target/);
    const saved = await m.saveDraft(created.id, { tableId: table.id, target: 'y' });
    expect(saved.draft?.validation).toEqual({ errors: [], warnings: [] });

    const run = await m.train(created.id);
    expect(run.status).toBe('queued');
    expect(run.kind).toBe('train');
    const during = await m.get(created.id);
    expect(during.activeRun?.id).toBe(run.id);
    const done = await m.waitForRun(run.id);
    expect(done).toMatchObject({ status: 'succeeded', version: 1, progress: 1, error: null });

    let model = await m.get(created.id);
    expect(model.draft).toBeNull();
    expect(model.activeRun).toBeNull();
    expect(model.lastTrained).toMatchObject({ version: 1, status: 'lastTrained', kind: 'train', table: { id: table.id, revision: 1, rowCount: 60 } });
    expect(model.lastTrained?.metrics.accuracy).toBe(1);
    expect(model.lastTrained?.artifact?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(model.published).toBeNull();
    await rejects(m.predict(created.id, [{ x: 1 }]), 'INVALID_TRANSITION', 'This model has no published version. Publish a version before calling predict.');
    expect(await m.quickTest(created.id, { input: { x: 50 } })).toEqual({ version: 1, slot: 'lastTrained', result: { prediction: 'high', probability: expect.any(Number) } });

    model = await m.publish(created.id);
    expect(model.published?.version).toBe(1);
    expect(model.lastTrained).toBeNull();
    const predicted = await m.predict(created.id, [{ x: 3 }, { x: 55 }]);
    expect(predicted.version).toBe(1);
    expect(predicted.results.map((r) => r.prediction)).toEqual(['low', 'high']);
    expect((await m.inputs(created.id)).map((f) => f.name)).toEqual(['x', 'colour']);
    // Big batches run in the prediction worker and give exactly what small batches on this thread give.
    const many = Array.from({ length: 250 }, (_, i) => ({ x: i % 70, colour: 'red' }));
    const inWorker = await m.predict(created.id, many);
    const onThread = [];
    for (let i = 0; i < many.length; i += PREDICT_ON_THREAD_ROWS) {
      onThread.push(...(await m.predict(created.id, many.slice(i, i + PREDICT_ON_THREAD_ROWS))).results);
    }
    expect(inWorker.results).toEqual(onThread);
    expect(inWorker.results.filter((r) => r.prediction === 'high').length).toBe(many.filter((r) => r.x >= 30).length);

    model = await m.newVersion(created.id);
    expect(model.draft).toMatchObject({ basedOn: 1, configuration: { tableId: table.id, target: 'y' } });
    await rejects(m.newVersion(created.id), 'INVALID_TRANSITION', 'This model has a draft. Resume or discard the draft before creating a new version.');
    await rejects(m.retrain(created.id), 'INVALID_TRANSITION', 'This model has a draft. Train the draft, or discard it, instead of retraining.');
    model = await m.discardDraft(created.id);
    expect(model.draft).toBeNull();

    // Retrain sees the table's CURRENT rows.
    await appendCsv(lathe, table.id, thresholdCsv(20, 30, 60));
    const retrain = await m.retrain(created.id);
    expect(retrain.kind).toBe('retrain');
    expect((await m.waitForRun(retrain.id)).status).toBe('succeeded');
    model = await m.get(created.id);
    expect(model.lastTrained).toMatchObject({ version: 2, kind: 'retrain', basedOn: 1, table: { revision: 2, rowCount: 80 } });
    expect(model.published?.version).toBe(1);

    // Publish 2 (1 becomes retained), then unpublish with no last trained: 2 goes back to Last trained.
    model = await m.publish(created.id);
    expect(model.published?.version).toBe(2);
    expect(model.rollbackVersions).toEqual([1]);
    model = await m.unpublish(created.id);
    expect(model.published).toBeNull();
    expect(model.lastTrained?.version).toBe(2);
    model = await m.rollback(created.id, 1);
    expect(model.published?.version).toBe(1);
    expect(model.rollbackVersions).toEqual([]);
    await rejects(m.rollback(created.id, 1), 'INVALID_TRANSITION', 'Version 1 is already published.');

    const history = await m.history(created.id);
    expect(history.versions.map((v) => [v.version, v.status])).toEqual([
      [1, 'published'],
      [2, 'lastTrained'],
    ]);
    expect(history.events.map((e) => e.type)).toEqual([
      'created', 'run-queued', 'trained', 'published', 'draft-created', 'draft-discarded', 'run-queued', 'trained', 'published', 'replaced', 'unpublished', 'rolled-back',
    ]);
    expect(history.events.every((e) => e.actor === 'local')).toBe(true);

    const cmp = await m.compare(created.id, 1, 2);
    expect(cmp.data).toEqual({ sameTable: true, revisions: [1, 2], rowsAdded: 20, rowsRemoved: 0 });
    expect(cmp.configuration).toEqual([]);
    expect(cmp.metrics.map((x) => x.metric)).toEqual(['accuracy']);
    expect((await m.version(created.id, 2)).details).toBeDefined();

    const renamed = await m.update(created.id, { name: 'Churn 2', description: 'who leaves' });
    expect([renamed.name, renamed.description]).toEqual(['Churn 2', 'who leaves']);

    await m.delete(created.id);
    await rejects(m.get(created.id), 'NOT_FOUND', `Model ${created.id} does not exist.`);
    expect(existsSync(join(h.dir, 'artifacts', created.id))).toBe(false);
    expect(await m.list()).toEqual([]);
  });

  it('compares versions trained on a replaced table or on different tables without inventing row counts', async () => {
    const { lathe } = h;
    const m = lathe.models;
    const { model, table } = await trainedModel();
    await lathe.tables.replaceCsv(table.id, (async function* () {
      yield thresholdCsv(45, 10);
    })());
    await m.waitForRun((await m.retrain(model.id, 'lastTrained')).id);
    const other = await importCsv(lathe, 'other', thresholdCsv(50));
    await m.newVersion(model.id);
    await m.saveDraft(model.id, { tableId: other.id, target: 'y' });
    await m.waitForRun((await m.train(model.id)).id);

    const replaced = await m.compare(model.id, 1, 2);
    expect(replaced.data).toEqual({
      sameTable: true,
      revisions: [1, 2],
      rowsAdded: null,
      rowsRemoved: null,
      note: "The table's rows were replaced between revisions 1 and 2 (60 rows then, 45 rows after), so rows added and removed cannot be counted.",
    });
    const across = await m.compare(model.id, 2, 3);
    expect(across.data).toMatchObject({ sameTable: false, rowsAdded: null, note: `The versions were trained on different tables ("t-Churn" and "other").` });
    expect(across.configuration).toEqual([{ path: 'tableId', a: table.id, b: other.id }]);
    expect(across.metrics[0]).toMatchObject({ metric: 'accuracy', delta: expect.any(Number) });
  });

  it('keeps a failed run from touching the draft or the slots, and shows why on the model', async () => {
    const { lathe } = h;
    const table = await importCsv(lathe, 'constant', thresholdCsv(30, 1000));
    const model = await lathe.models.create({ name: 'One outcome', type: 'prediction', configuration: { tableId: table.id, target: 'y' } });
    // The draft check sees the rows (small table), so training is refused up front.
    await rejects(lathe.models.train(model.id), 'INVALID_CONFIGURATION', 'The draft cannot be trained yet: Column "y" has only one value, so there is nothing to predict.');
    // A crash inside the engine fails the run instead.
    await lathe.models.saveDraft(model.id, { tableId: table.id, target: 'x', crash: 'throw' });
    const run = await lathe.models.train(model.id);
    const ended = await lathe.models.waitForRun(run.id);
    expect(ended).toMatchObject({ status: 'failed', error: 'the stump engine crashed on purpose', version: null });
    const after = await lathe.models.get(model.id);
    expect(after.draft?.configuration).toEqual({ tableId: table.id, target: 'x', crash: 'throw' });
    expect(after.lastTrained).toBeNull();
    expect(after.lastRunOutcome).toMatchObject({ runId: run.id, status: 'failed', message: 'the stump engine crashed on purpose' });
    expect(after.warnings).toEqual([{ code: 'LAST_RUN_FAILED', message: 'The last training failed: the stump engine crashed on purpose', details: { runId: run.id } }]);
    expect((await lathe.models.history(model.id)).events.at(-1)).toMatchObject({ type: 'run-failed', message: 'Training failed: the stump engine crashed on purpose' });
  });

  it('reports a missing table as a validation message on the draft, and refuses to train it', async () => {
    const model = await h.lathe.models.create({ name: 'Orphan', type: 'prediction', configuration: { tableId: 'tbl_nope', target: 'y' } });
    expect(model.draft?.validation.errors).toEqual([
      { code: 'TABLE_NOT_FOUND', message: 'Table tbl_nope does not exist (it may have been deleted). Choose another table.', details: { tableId: 'tbl_nope' } },
    ]);
    expect(model.actions.train).toEqual({ allowed: false, reason: 'The draft cannot be trained yet: Table tbl_nope does not exist (it may have been deleted). Choose another table.' });
    await rejects(h.lathe.models.train(model.id), 'INVALID_CONFIGURATION', /Table tbl_nope does not exist/);
  });

  it('refuses invalid names, unknown models and runs, and too many rows with specific messages', async () => {
    const m = h.lathe.models;
    await rejects(m.create({ name: ' ', type: 'prediction' }), 'INVALID_INPUT', 'A model name must be 1 to 100 characters long; this one has 0.');
    await rejects(m.create({ name: 'x'.repeat(101), type: 'prediction' }), 'INVALID_INPUT', 'A model name must be 1 to 100 characters long; this one has 101.');
    await rejects(m.create({ name: 'x', type: 'vision' as never }), 'INVALID_INPUT', /"vision" is not a model type/);
    await rejects(m.get('mdl_missing'), 'NOT_FOUND', 'Model mdl_missing does not exist.');
    await rejects(m.getRun('run_missing'), 'NOT_FOUND', 'Run run_missing does not exist.');
    await rejects(m.cancelRun('run_missing'), 'NOT_FOUND', 'Run run_missing does not exist.');
    const { model } = await trainedModel();
    await m.publish(model.id);
    const rows = Array.from({ length: 10_001 }, () => ({ x: 1 }));
    await rejects(m.predict(model.id, rows), 'INVALID_INPUT', /At most 10,000 rows can be predicted per call; this request has 10001/);
    await rejects(m.predict(model.id, [{ x: { nested: 1 } }]), 'INVALID_INPUT', /Row 1, column "x", must be a text/);
    await rejects(m.version(model.id, 9), 'NOT_FOUND', `Model ${model.id} has no version 9.`);
    await rejects(m.unpublish(model.id).then(() => m.unpublish(model.id)), 'INVALID_TRANSITION', 'This model has no published version to unpublish.');
  });

  it('writes artifacts without leaving temp files, deletes released versions, and refuses a damaged file', async () => {
    const { model, table } = await trainedModel();
    const m = h.lathe.models;
    const dir = join(h.dir, 'artifacts', model.id);
    expect(readdirSync(dir)).toEqual(['1.bin']);
    // Train 2 while 1 is last trained: 1 is replaced and its file deleted.
    await m.newVersion(model.id);
    await m.saveDraft(model.id, { tableId: table.id, target: 'y', features: ['colour'] });
    await m.waitForRun((await m.train(model.id)).id);
    expect(readdirSync(dir)).toEqual(['2.bin']);
    const history = await m.history(model.id);
    expect(history.versions.map((v) => [v.version, v.status, v.artifact === null])).toEqual([
      [1, 'replaced', true],
      [2, 'lastTrained', false],
    ]);
    // Damage the file on disk; a fresh process must refuse to predict with it.
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, '2.bin'), '{"format":"stump-1"}');
    const lathe = await h.reopen();
    const damaged = {
      code: 'INTERNAL',
      message: expect.stringMatching(/^The file of version 2 of model mdl_\w+ is damaged \(its checksum does not match/),
    };
    await expect(lathe.models.quickTest(model.id, { input: { colour: 'red' } })).rejects.toMatchObject(damaged);
    await lathe.models.publish(model.id);
    await expect(lathe.models.predict(model.id, Array.from({ length: 150 }, () => ({ colour: 'red' })))).rejects.toMatchObject(damaged);
  });
});
