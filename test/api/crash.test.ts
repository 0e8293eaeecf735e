// A server killed with SIGKILL in the middle of a training, then restarted on the same data folder:
// the run ends failed ("interrupted"), the draft and both slots are intact, predictions still work.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient, type LatheClient } from '../../src/client/index.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { importCsv } from './support.js';

const DATASETS = join(import.meta.dirname, '..', '..', '..', 'shared', 'datasets');

const dir = mkdtempSync(join(tmpdir(), 'lathe-crash-'));
let server: ServerProcess | undefined;

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function trained(client: LatheClient, modelId: string): Promise<number> {
  const run = await client.models.train(modelId);
  const final = await client.models.waitForRun(run.id);
  expect(final.status, final.error ?? '').toBe('succeeded');
  return final.version!;
}

describe('a server killed during a training', () => {
  it('restarts with the run failed as interrupted, the draft and both slots intact, and the published version serving', { timeout: 180_000 }, async () => {
    server = await startServerProcess(dir);
    let client = createClient({ baseUrl: server.url });
    const titanic = await importCsv(client, 'titanic', readFileSync(join(DATASETS, 'titanic.csv'), 'utf8'));
    const adult = await importCsv(client, 'adult', readFileSync(join(DATASETS, 'adult.csv'), 'utf8'));

    // Published v1 and last trained v2 on the small table.
    const model = await client.models.create({ name: 'Survival', type: 'prediction', configuration: { tableId: titanic, target: 'survived' } });
    const id = model.id;
    expect(await trained(client, id)).toBe(1);
    await client.models.publish(id);
    await client.models.newVersion(id, 'published');
    expect(await trained(client, id)).toBe(2);

    // A draft on the large table whose training is under way when the server dies.
    await client.models.newVersion(id, 'lastTrained');
    const draft = { tableId: adult, target: 'income' };
    await client.models.saveDraft(id, draft);
    const row = { pclass: 1, sex: 'female', age: 29, sibsp: 0, parch: 0, fare: 80, embarked: 'S' };
    const before = await client.models.predict(id, [row]);
    const run = await client.models.train(id);
    const abort = new AbortController();
    const running = new Promise<void>((resolve, reject) => {
      client.models
        .runEvents(
          run.id,
          (r) => {
            if (r.status === 'running') resolve();
          },
          abort.signal,
        )
        .then(() => reject(new Error('the training ended before the server could be killed: make it larger')), () => {});
    });
    await running;
    abort.abort();
    await server.kill();

    server = await startServerProcess(dir);
    client = createClient({ baseUrl: server.url });
    const after = await client.models.getRun(run.id);
    expect(after.status).toBe('failed');
    expect(after.error).toMatch(/interrupted/);
    expect(after.finishedAt).not.toBeNull();

    const restored = await client.models.get(id);
    expect(restored.activeRun).toBeNull();
    expect(restored.draft?.configuration).toEqual(draft);
    expect(restored.published?.version).toBe(1);
    expect(restored.lastTrained?.version).toBe(2);
    expect(restored.lastRunOutcome?.message).toMatch(/interrupted/);

    const served = await client.models.predict(id, [row]);
    expect(served.version).toBe(1);
    expect(served.results).toEqual(before.results);

    // Nothing is left stuck: the rules allow training the same draft again.
    expect(restored.actions.train.allowed).toBe(true);
  });
});
