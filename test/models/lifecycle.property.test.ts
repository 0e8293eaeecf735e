// Property: any sequence of user actions through the real service keeps the lifecycle invariants
// (one draft at most, two slots at most, append-only history, live files present and verified,
// released files gone, the published version always predicts). Uses the small stump learner.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { History, Model } from '../../src/contract/models.js';
import { isLatheError } from '../../src/domain/errors.js';
import { createSqlModelStore } from '../../src/storage/models/sql-model-store.js';
import { importCsv, openHarness, thresholdCsv, type Harness } from './harness.js';

type HistoryT = import('zod').infer<typeof History>;
const RETAINED = 2;
let h: Harness;
let tableId: string;

beforeAll(async () => {
  h = await openHarness({ retainedVersions: RETAINED, maxConcurrentRuns: 2 });
  tableId = (await importCsv(h.lathe, 'rows', thresholdCsv(40))).id;
});
afterAll(async () => {
  await h.cleanup();
});

const slot = fc.constantFrom(undefined, 'published' as const, 'lastTrained' as const);
const configuration = fc.constantFrom(
  () => ({ tableId, target: 'y' }),
  () => ({ tableId, target: 'y', features: ['colour'] }),
  () => ({ tableId, target: 'nope' }),
  () => ({ tableId, target: 'x', crash: 'throw' }),
  () => ({ tableId, target: 'colour', crash: 'throw' }),
  () => ({}),
);
/**
 * A fixed seed keeps the sequences (and so the check that every kind of action happened) the same
 * on every run; set LATHE_PROPERTY_SEED to explore other sequences.
 */
const SEED = Number(process.env.LATHE_PROPERTY_SEED ?? 20261127);
// Weighted so that deep states (several published versions, roll backs) are reached often.
const action = fc.oneof(
  { weight: 2, arbitrary: configuration.map((c) => ({ type: 'saveDraft' as const, configuration: c })) },
  { weight: 1, arbitrary: fc.constant({ type: 'discardDraft' as const }) },
  { weight: 2, arbitrary: slot.map((from) => ({ type: 'newVersion' as const, from })) },
  { weight: 3, arbitrary: fc.constant({ type: 'train' as const }) },
  { weight: 1, arbitrary: fc.constant({ type: 'trainThenCancel' as const }) },
  { weight: 3, arbitrary: slot.map((from) => ({ type: 'retrain' as const, from })) },
  { weight: 3, arbitrary: fc.constant({ type: 'publish' as const }) },
  // Train (the draft, or retrain without one) then publish: reaches previously published versions quickly.
  { weight: 2, arbitrary: fc.constant({ type: 'trainAndPublish' as const }) },
  { weight: 1, arbitrary: fc.constant({ type: 'unpublish' as const }) },
  // 0 = the newest version Roll back offers (if any); otherwise a version number that may not qualify.
  {
    weight: 2,
    arbitrary: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 6 }) }).map((version) => ({ type: 'rollback' as const, version })),
  },
  { weight: 1, arbitrary: fc.constantFrom('', 'Renamed', 'x'.repeat(101)).map((name) => ({ type: 'rename' as const, name })) },
  { weight: 1, arbitrary: slot.map((version) => ({ type: 'quickTest' as const, version })) },
  { weight: 1, arbitrary: fc.constant({ type: 'predict' as const }) },
);
type Step = typeof action extends fc.Arbitrary<infer T> ? T : never;

/** Actions that succeeded, by type: the property is only meaningful if every kind happened. */
const succeeded = new Map<string, number>();

const countFailed = (run: { status: string }) => {
  if (run.status === 'failed') succeeded.set('failedRun', (succeeded.get('failedRun') ?? 0) + 1);
};

/** Runs one action; refusals by the rules are expected, anything else is a failure. */
async function perform(modelId: string, step: Step): Promise<void> {
  const m = h.lathe.models;
  try {
    await run(m, modelId, step);
    succeeded.set(step.type, (succeeded.get(step.type) ?? 0) + 1);
  } catch (e) {
    if (!isLatheError(e) || !['INVALID_TRANSITION', 'INVALID_CONFIGURATION', 'INVALID_INPUT'].includes(e.code)) throw e;
  }
}

async function run(m: typeof h.lathe.models, modelId: string, step: Step): Promise<void> {
  {
    switch (step.type) {
      case 'saveDraft':
        await m.saveDraft(modelId, step.configuration());
        break;
      case 'discardDraft':
        await m.discardDraft(modelId);
        break;
      case 'newVersion':
        await m.newVersion(modelId, step.from);
        break;
      case 'train':
        countFailed(await m.waitForRun((await m.train(modelId)).id));
        break;
      case 'trainThenCancel': {
        const run = await m.train(modelId);
        await m.cancelRun(run.id).catch((e: unknown) => {
          // The run may have ended before the cancel arrived; then the rules refuse the cancel.
          if (!(isLatheError(e) && e.code === 'INVALID_TRANSITION')) throw e;
        });
        const ended = await m.waitForRun(run.id);
        if (ended.status === 'cancelled') succeeded.set('cancelled', (succeeded.get('cancelled') ?? 0) + 1);
        break;
      }
      case 'retrain':
        await m.waitForRun((await m.retrain(modelId, step.from)).id);
        break;
      case 'publish':
        await m.publish(modelId);
        break;
      case 'trainAndPublish': {
        const hasDraft = (await m.get(modelId)).draft !== null;
        const ended = await m.waitForRun((hasDraft ? await m.train(modelId) : await m.retrain(modelId)).id);
        countFailed(ended);
        if (ended.status === 'succeeded') await m.publish(modelId);
        break;
      }
      case 'unpublish':
        await m.unpublish(modelId);
        break;
      case 'rollback':
        await m.rollback(modelId, step.version || ((await m.get(modelId)).rollbackVersions[0] ?? 1));
        break;
      case 'rename':
        await m.update(modelId, { name: step.name });
        break;
      case 'quickTest':
        await m.quickTest(modelId, { version: step.version, input: { x: 3, colour: 'red' } });
        break;
      case 'predict':
        await m.predict(modelId, [{ x: 30 }]);
        break;
    }
  }
}

const immutable = (v: HistoryT['versions'][number]) => ({ ...v, status: undefined, artifact: undefined });

async function checkInvariants(modelId: string, before: HistoryT): Promise<HistoryT> {
  const m = h.lathe.models;
  const model: Model = await m.get(modelId);
  const { state } = (await createSqlModelStore(h.lathe.storage.db).getState(modelId))!;
  // At most one draft, at most the two slots, never the same version twice, bounded retention.
  expect(model.draft === null || typeof model.draft === 'object').toBe(true);
  const live = [state.published?.version, state.lastTrained?.version, ...state.retained.map((r) => r.version)].filter((v): v is number => v !== undefined);
  expect(new Set(live).size).toBe(live.length);
  expect(state.retained.length).toBeLessThanOrEqual(RETAINED);
  expect(model.activeRun).toBeNull(); // every step waits for its run

  // History is append-only: old events and versions unchanged, only new ones at the end.
  const after = await m.history(modelId);
  expect(after.events.slice(0, before.events.length)).toEqual(before.events);
  expect(after.versions.slice(0, before.versions.length).map(immutable)).toEqual(before.versions.map(immutable));
  expect(after.versions.map((v) => v.version)).toEqual(after.versions.map((_, i) => i + 1));

  // Live versions have their file with the recorded checksum; released ones have none.
  const dir = join(h.dir, 'artifacts', modelId);
  const files = existsSync(dir) ? readdirSync(dir).sort() : [];
  expect(files).toEqual(live.map((v) => `${v}.bin`).sort());
  for (const v of after.versions) {
    const isLive = live.includes(v.version);
    expect(v.artifact !== null).toBe(isLive);
    if (isLive) {
      const sha = createHash('sha256').update(readFileSync(join(dir, `${v.version}.bin`))).digest('hex');
      expect(sha).toBe(v.artifact!.sha256);
    }
  }

  // The published version always loads and predicts.
  if (model.published) {
    const out = await m.predict(modelId, [{ x: 1, colour: 'blue' }]);
    expect(out.version).toBe(model.published.version);
    expect(out.results).toHaveLength(1);
  }
  return after;
}

describe('lifecycle invariants under random action sequences', () => {
  // About 10 s on an idle 2-core machine; the generous timeout is for a machine busy with other work.
  it('hold after every step of every sequence', { timeout: 300_000 }, async () => {
    let n = 0;
    await fc.assert(
      // Half the sequences start from a model with a published and a previously published version.
      fc.asyncProperty(fc.boolean(), fc.array(action, { minLength: 1, maxLength: 16 }), async (deep, rest) => {
        const steps: Step[] = deep ? [{ type: 'trainAndPublish' }, { type: 'trainAndPublish' }, ...rest] : rest;
        const model = await h.lathe.models.create({ name: `P${n++}`, type: 'prediction', configuration: { tableId, target: 'y' } });
        let history = await h.lathe.models.history(model.id);
        for (const step of steps) {
          await perform(model.id, step);
          history = await checkInvariants(model.id, history);
        }
      }),
      { numRuns: 200, seed: SEED },
    );
    for (const kind of ['saveDraft', 'discardDraft', 'newVersion', 'train', 'failedRun', 'cancelled', 'retrain', 'publish', 'unpublish', 'rollback', 'rename', 'quickTest', 'predict']) {
      expect(succeeded.get(kind) ?? 0, `${kind} never succeeded`).toBeGreaterThan(0);
    }
  });
});
