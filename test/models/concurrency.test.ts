// Races, cancellation, progress and restart recovery through the real service and worker threads.
import { execFile } from 'node:child_process';
import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Run } from '../../src/contract/runs.js';
import { createSqlModelStore } from '../../src/storage/models/sql-model-store.js';
import { createTablesStore } from '../../src/storage/tables/tables-store.js';
import { importCsv, openHarness, thresholdCsv, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.cleanup();
});

const settle = <T>(p: Promise<T>) => p.then((v) => ({ ok: true as const, v }), (e: { code: string; message: string }) => ({ ok: false as const, e }));

async function setup(options: { maxConcurrentRuns?: number } = {}) {
  h = await openHarness(options);
  const table = await importCsv(h.lathe, 'rows', thresholdCsv(60));
  const make = (name: string, extra: Record<string, unknown> = {}) =>
    h.lathe.models.create({ name, type: 'prediction', configuration: { tableId: table.id, target: 'y', ...extra } });
  return { table, make };
}

async function waitFor(pred: () => Promise<boolean>) {
  for (let i = 0; i < 500; i++) {
    if (await pred()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition never met');
}

describe('concurrent requests', () => {
  it('serializes two racing publishes: exactly one wins, the other is refused and nothing is half-written', async () => {
    const { make } = await setup();
    const m = h.lathe.models;
    const model = await make('Race');
    await m.waitForRun((await m.train(model.id)).id);
    const results = await Promise.all([settle(m.publish(model.id)), settle(m.publish(model.id))]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const refused = results.find((r) => !r.ok)!;
    expect(refused.ok || refused.e).toMatchObject({ code: 'INVALID_TRANSITION', message: 'There is no last trained version to publish. Train the model first.' });
    const after = await m.get(model.id);
    expect([after.published?.version, after.lastTrained]).toEqual([1, null]);
    expect((await m.history(model.id)).events.filter((e) => e.type === 'published')).toHaveLength(1);
  });

  it('serializes train while publishing, and two racing trains start exactly one run', async () => {
    const { make } = await setup();
    const m = h.lathe.models;
    const model = await make('Both');
    await m.waitForRun((await m.train(model.id)).id);
    await m.newVersion(model.id, 'lastTrained');
    const [published, trained, again] = await Promise.all([settle(m.publish(model.id)), settle(m.train(model.id)), settle(m.train(model.id))]);
    expect(published.ok).toBe(true);
    expect(trained.ok).toBe(true);
    expect(again.ok || again.e).toMatchObject({ code: 'INVALID_TRANSITION', message: 'This model is already training. Wait for it to finish or cancel it.' });
    const run = trained.ok ? trained.v : (null as never);
    expect((await m.waitForRun(run.id)).status).toBe('succeeded');
    const after = await m.get(model.id);
    expect([after.published?.version, after.lastTrained?.version, after.draft]).toEqual([1, 2, null]);
  });

  it('refuses a write whose state changed since it was read (compare-and-set in the store)', async () => {
    const { make } = await setup();
    const model = await make('Cas');
    const store = createSqlModelStore(h.lathe.storage.db);
    const read = (await store.getState(model.id))!;
    const first = { modelId: model.id, expectedRevision: read.revision, state: { ...read.state, name: 'First' }, events: [] };
    await store.commit(first);
    await expect(store.commit({ ...first, state: { ...read.state, name: 'Second' } })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `Model ${model.id} was changed by another request; reload and try again.`,
    });
    expect((await store.getState(model.id))!.state.name).toBe('First');
  });
});

describe('runs', () => {
  it('queues runs beyond maxConcurrentRuns and cancels a queued one without touching its draft', async () => {
    const { make } = await setup({ maxConcurrentRuns: 1 });
    const m = h.lathe.models;
    const slow = await make('Slow', { delayMs: 20_000 });
    const waiting = await make('Waiting');
    const first = await m.train(slow.id);
    const second = await m.train(waiting.id);
    await waitFor(async () => (await m.getRun(first.id)).status === 'running');
    expect((await m.getRun(second.id)).status).toBe('queued');
    await expect(m.delete(waiting.id)).rejects.toMatchObject({
      code: 'INVALID_TRANSITION',
      message: 'This model is training. Cancel the training before deleting the model.',
    });
    await expect(m.discardDraft(waiting.id)).rejects.toMatchObject({ code: 'INVALID_TRANSITION', message: 'The draft is being trained. Cancel the training before discarding the draft.' });
    const cancelled = await m.cancelRun(second.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', version: null });
    const model = await m.get(waiting.id);
    expect(model.activeRun).toBeNull();
    expect(model.draft?.configuration).toMatchObject({ target: 'y' });
    expect(model.lastRunOutcome).toMatchObject({ status: 'cancelled', message: 'Training was cancelled.' });
    await expect(m.cancelRun(second.id)).rejects.toMatchObject({ code: 'INVALID_TRANSITION', message: `Run ${second.id} has already ended (cancelled); there is nothing to cancel.` });
    // The running one is cancelled too: its worker is terminated and no version appears.
    expect((await m.cancelRun(first.id)).status).toBe('cancelled');
    const after = await m.get(slow.id);
    expect([after.lastTrained, after.activeRun, after.draft === null]).toEqual([null, null, false]);
    // The freed slot lets a new run start and finish.
    const third = await m.train(waiting.id);
    expect((await m.waitForRun(third.id)).status).toBe('succeeded');
  });

  it('trains on exactly the rows current at Train time, even when rows are appended while it waits', async () => {
    const { make, table } = await setup({ maxConcurrentRuns: 1 });
    const m = h.lathe.models;
    const blocker = await make('Blocker', { delayMs: 60_000 });
    const pinned = await make('Pinned');
    const first = await m.train(blocker.id);
    const second = await m.train(pinned.id);
    await h.lathe.tables.appendCsv(table.id, (async function* () {
      yield thresholdCsv(20, 30, 60);
    })());
    await m.cancelRun(first.id);
    expect((await m.waitForRun(second.id)).status).toBe('succeeded');
    expect((await m.get(pinned.id)).lastTrained?.table).toMatchObject({ revision: 1, rowCount: 60 });
    // Retrain uses the table's current rows.
    await m.publish(pinned.id);
    await m.waitForRun((await m.retrain(pinned.id)).id);
    expect((await m.get(pinned.id)).lastTrained?.table).toMatchObject({ revision: 2, rowCount: 80 });
  });

  it('refuses to delete a table that models use, naming them, and deletes it once they are gone', async () => {
    const { make, table } = await setup();
    const m = h.lathe.models;
    const trained = await make('Trained on it');
    await m.waitForRun((await m.train(trained.id)).id);
    const drafted = await make('Drafted on it');
    await expect(h.lathe.tables.delete(table.id)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'Table "rows" is used by 2 models: "Trained on it", "Drafted on it". Delete those models first, or keep the table.',
      details: { models: [{ id: trained.id, name: 'Trained on it' }, { id: drafted.id, name: 'Drafted on it' }] },
    });
    await m.delete(drafted.id);
    await expect(h.lathe.tables.delete(table.id)).rejects.toMatchObject({ message: 'Table "rows" is used by the model "Trained on it". Delete that model first, or keep the table.' });
    expect((await h.lathe.tables.get(table.id)).rowCount).toBe(60);
    await m.delete(trained.id);
    await h.lathe.tables.delete(table.id);
    await expect(h.lathe.tables.get(table.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses to retrain on a table that vanished underneath (another process), and shows the missing table on the draft', async () => {
    const { make, table } = await setup();
    const m = h.lathe.models;
    const model = await make('Gone');
    await m.waitForRun((await m.train(model.id)).id);
    // Around the delete guard, as a process without it (an older Lathe on the same database) could.
    await createTablesStore(h.lathe.storage.db).deleteTable(table.id);
    await expect(m.retrain(model.id)).rejects.toMatchObject({
      code: 'INVALID_CONFIGURATION',
      message: `The table this model was trained on (${table.id}) no longer exists, so it cannot be retrained. Create a new version on another table.`,
    });
    expect((await m.get(model.id)).activeRun).toBeNull();
    const draft = (await m.newVersion(model.id)).draft!;
    expect(draft.validation.errors.map((e) => e.code)).toEqual(['TABLE_NOT_FOUND']);
  });

  it('reports progress to subscribers and stores it while running; the published version keeps serving', async () => {
    const { make } = await setup();
    const m = h.lathe.models;
    const model = await make('Progress');
    await m.waitForRun((await m.train(model.id)).id);
    await m.publish(model.id);
    await m.newVersion(model.id);
    await m.saveDraft(model.id, { tableId: (await m.get(model.id)).draft!.configuration.tableId, target: 'y', delayMs: 1500 });
    const run = await m.train(model.id);
    const seen: Run[] = [];
    m.subscribeRun(run.id, (r) => seen.push(r));
    await waitFor(async () => (await m.getRun(run.id)).stage === 'training');
    const served = await m.predict(model.id, [{ x: 59 }]);
    expect(served).toMatchObject({ version: 1, results: [{ prediction: 'high' }] });
    await waitFor(async () => {
      const { db } = h.lathe.storage;
      const row = await db.selectFrom('model_runs').select(['stage', 'progress']).where('id', '=', run.id).executeTakeFirstOrThrow();
      return row.stage === 'training' && row.progress > 0;
    });
    const done = await m.waitForRun(run.id);
    expect(done.status).toBe('succeeded');
    const stages = seen.map((r) => r.stage);
    expect(stages).toContain('training');
    expect(seen.at(-1)).toMatchObject({ status: 'succeeded', version: 2 });
    const fractions = seen.filter((r) => r.status === 'running').map((r) => r.progress);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
  });

  it('after a crash, marks runs left running as interrupted and keeps the slots', async () => {
    const { make } = await setup();
    const m = h.lathe.models;
    const model = await make('Crash');
    await m.waitForRun((await m.train(model.id)).id);
    await m.publish(model.id);
    await m.newVersion(model.id);
    // What a process that died mid-training leaves behind: the run 'running', the model pointing at it.
    const store = createSqlModelStore(h.lathe.storage.db);
    const stored = (await store.getState(model.id))!;
    const now = new Date().toISOString();
    const activeRun = { runId: 'run_crashed', kind: 'train' as const, configuration: stored.state.draft!.configuration, basedOn: 1, status: 'running' as const, queuedAt: now };
    await store.commit({
      modelId: model.id,
      expectedRevision: stored.revision,
      state: { ...stored.state, activeRun },
      events: [],
      insertRuns: [
        {
          id: 'run_crashed', modelId: model.id, kind: 'train', status: 'running', stage: 'training', progress: 0.4, version: null, error: null,
          createdAt: now, startedAt: now, finishedAt: null, actor: 'local', basedOn: 1, configuration: activeRun.configuration,
          tableId: String(activeRun.configuration.tableId), tableRevision: 1, seed: 42, owner: 'crashed-host:1',
        },
      ],
    });
    // ... and the temp file of an artifact write it did not finish.
    const temp = join(h.dir, 'artifacts', model.id, '.2.bin.0123abcd.tmp');
    writeFileSync(temp, 'partial');
    const anHourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(temp, anHourAgo, anHourAgo);
    const lathe = await h.reopen();
    expect(readdirSync(join(h.dir, 'artifacts', model.id))).toEqual(['1.bin']);
    expect(await lathe.models.getRun('run_crashed')).toMatchObject({ status: 'failed', error: 'interrupted: the server stopped during training' });
    const after = await lathe.models.get(model.id);
    expect(after.activeRun).toBeNull();
    expect(after.published?.version).toBe(1);
    expect(after.draft?.basedOn).toBe(1);
    expect(after.lastRunOutcome).toMatchObject({ runId: 'run_crashed', status: 'failed', message: 'interrupted: the server stopped during training' });
    expect(await lathe.models.predict(model.id, [{ x: 0 }])).toMatchObject({ version: 1 });
  });

  it('leaves alone a run that another live process on this host is executing (e.g. a server beside the CLI)', async () => {
    const { make } = await setup();
    const model = await make('Elsewhere');
    const store = createSqlModelStore(h.lathe.storage.db);
    const stored = (await store.getState(model.id))!;
    const now = new Date().toISOString();
    const configuration = stored.state.draft!.configuration;
    await store.commit({
      modelId: model.id,
      expectedRevision: stored.revision,
      state: { ...stored.state, activeRun: { runId: 'run_elsewhere', kind: 'train', configuration, basedOn: null, status: 'running', queuedAt: now } },
      events: [],
      insertRuns: [
        {
          id: 'run_elsewhere', modelId: model.id, kind: 'train', status: 'running', stage: 'training', progress: 0.4, version: null, error: null,
          createdAt: now, startedAt: now, finishedAt: null, actor: 'local', basedOn: null, configuration,
          tableId: String(configuration.tableId), tableRevision: 1, seed: 42, owner: `${hostname()}:${process.ppid}`,
        },
      ],
    });
    const lathe = await h.reopen();
    expect(await lathe.models.getRun('run_elsewhere')).toMatchObject({ status: 'running', error: null });
    expect((await lathe.models.get(model.id)).activeRun?.id).toBe('run_elsewhere');
  });

  it('keeps training while another process opens the same data folder and changes the model', async () => {
    const { make } = await setup();
    const model = await make('Shared', { delayMs: 120_000 });
    const run = await h.lathe.models.train(model.id);
    await waitFor(async () => (await h.lathe.models.getRun(run.id)).status === 'running');
    const script = fileURLToPath(new URL('./other-process.ts', import.meta.url));
    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', script, h.dir, model.id, 'Renamed elsewhere'], (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
      );
    });
    // The other process saw the run as running (not as a crash leftover) and left it running.
    expect(JSON.parse(out)).toEqual({ activeRun: 'running' });
    expect(await h.lathe.models.getRun(run.id)).toMatchObject({ status: 'running', error: null });
    const after = await h.lathe.models.get(model.id);
    expect([after.name, after.activeRun?.id]).toEqual(['Renamed elsewhere', run.id]);
    // This process still owns the run and can end it on the state the other process changed.
    expect((await h.lathe.models.cancelRun(run.id)).status).toBe('cancelled');
  });

  it('ends its own runs as interrupted when the service closes mid-training', async () => {
    const { make } = await setup();
    const model = await make('Closing', { delayMs: 20_000 });
    const run = await h.lathe.models.train(model.id);
    await waitFor(async () => (await h.lathe.models.getRun(run.id)).status === 'running');
    const lathe = await h.reopen();
    expect(await lathe.models.getRun(run.id)).toMatchObject({ status: 'failed', error: 'interrupted: the server stopped during training' });
    expect((await lathe.models.get(model.id)).actions.train.allowed).toBe(true);
  });
});
