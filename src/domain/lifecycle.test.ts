// Every row of spec/lifecycle.md's action table, allowed and refused, against the rules module.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { availableActions } from './available-actions.js';
import { isLatheError } from './errors.js';
import { createModel, decide, type Action, type Context } from './lifecycle.js';
import type { ModelState, VersionRef } from './model-state.js';

const ctx: Context = { now: '2026-01-01T00:00:00.000Z', retainedLimit: 2 };
const v = (version: number): VersionRef => ({ version, configuration: { tableId: 't', target: `c${version}` } });

const fresh = (): ModelState =>
  createModel({ id: 'm', name: 'Churn', type: 'prediction', owner: 'ann', configuration: { tableId: 't' }, now: ctx.now }).state;

function state(patch: Partial<ModelState>): ModelState {
  return { ...fresh(), draft: null, nextVersion: 10, ...patch };
}

const draft = { configuration: { tableId: 't', target: 'd' }, basedOn: null, createdAt: ctx.now, updatedAt: ctx.now };
const trainRun = { runId: 'r1', kind: 'train' as const, configuration: draft.configuration, basedOn: null, status: 'running' as const, queuedAt: ctx.now };
const retrainRun = { ...trainRun, kind: 'retrain' as const, basedOn: 1 };

const S = {
  draftOnly: () => fresh(),
  draftTraining: () => ({ ...fresh(), activeRun: trainRun }),
  lastTrained: () => state({ lastTrained: v(1) }),
  published: () => state({ published: v(1) }),
  both: () => state({ published: v(1), lastTrained: v(2) }),
  bothWithDraft: () => state({ published: v(1), lastTrained: v(2), draft }),
  retraining: () => state({ published: v(1), activeRun: retrainRun }),
  withRetained: () => state({ published: v(3), retained: [v(2), v(1)] }),
};
type Fixture = keyof typeof S;

function attempt(s: ModelState, action: Action) {
  try {
    return { ok: true as const, d: decide(s, action, ctx) };
  } catch (e) {
    if (!isLatheError(e)) throw e;
    return { ok: false as const, code: e.code, message: e.message };
  }
}

// [fixture, action, expected: 'ok' or [code, words the message must contain]]
const rows: [Fixture, Action, 'ok' | [string, string]][] = [
  ['draftOnly', { type: 'editDraft', configuration: { a: 1 } }, 'ok'],
  ['published', { type: 'editDraft', configuration: {} }, ['INVALID_TRANSITION', 'no draft']],
  ['draftTraining', { type: 'editDraft', configuration: {} }, ['INVALID_TRANSITION', 'being trained']],
  ['published', { type: 'newVersion' }, 'ok'],
  ['lastTrained', { type: 'newVersion' }, 'ok'],
  ['both', { type: 'newVersion' }, ['INVALID_TRANSITION', 'Choose']],
  ['both', { type: 'newVersion', from: 'lastTrained' }, 'ok'],
  ['lastTrained', { type: 'newVersion', from: 'published' }, ['INVALID_TRANSITION', 'no published version']],
  ['bothWithDraft', { type: 'newVersion', from: 'published' }, ['INVALID_TRANSITION', 'Resume or discard the draft']],
  ['draftOnly', { type: 'newVersion' }, ['INVALID_TRANSITION', 'Resume or discard']],
  ['draftOnly', { type: 'resumeDraft' }, 'ok'],
  ['published', { type: 'resumeDraft' }, ['INVALID_TRANSITION', 'no draft']],
  ['draftOnly', { type: 'discardDraft' }, 'ok'],
  ['draftTraining', { type: 'discardDraft' }, ['INVALID_TRANSITION', 'Cancel the training']],
  ['published', { type: 'discardDraft' }, ['INVALID_TRANSITION', 'no draft']],
  ['draftOnly', { type: 'train', runId: 'r9', draftErrors: [] }, 'ok'],
  ['draftOnly', { type: 'train', runId: 'r9', draftErrors: [{ message: 'Choose the column to predict.' }] }, ['INVALID_CONFIGURATION', 'Choose the column']],
  ['draftTraining', { type: 'train', runId: 'r9', draftErrors: [] }, ['INVALID_TRANSITION', 'already training']],
  ['published', { type: 'train', runId: 'r9', draftErrors: [] }, ['INVALID_TRANSITION', 'no draft']],
  ['published', { type: 'retrain', runId: 'r9' }, 'ok'],
  ['lastTrained', { type: 'retrain', runId: 'r9' }, 'ok'],
  ['lastTrained', { type: 'retrain', runId: 'r9', from: 'published' }, ['INVALID_TRANSITION', 'no published version']],
  ['bothWithDraft', { type: 'retrain', runId: 'r9' }, ['INVALID_TRANSITION', 'has a draft']],
  ['retraining', { type: 'retrain', runId: 'r9' }, ['INVALID_TRANSITION', 'already training']],
  ['draftOnly', { type: 'retrain', runId: 'r9' }, ['INVALID_TRANSITION', 'has a draft']],
  ['draftTraining', { type: 'cancel' }, 'ok'],
  ['published', { type: 'cancel' }, ['INVALID_TRANSITION', 'no training to cancel']],
  ['lastTrained', { type: 'publish' }, 'ok'],
  ['both', { type: 'publish' }, 'ok'],
  ['published', { type: 'publish' }, ['INVALID_TRANSITION', 'no last trained version']],
  ['published', { type: 'unpublish' }, 'ok'],
  ['both', { type: 'unpublish' }, 'ok'],
  ['lastTrained', { type: 'unpublish' }, ['INVALID_TRANSITION', 'no published version']],
  ['withRetained', { type: 'rollback', version: 1 }, 'ok'],
  ['withRetained', { type: 'rollback', version: 3 }, ['INVALID_TRANSITION', 'already published']],
  ['published', { type: 'rollback', version: 7 }, ['INVALID_TRANSITION', 'cannot be rolled back']],
  ['draftTraining', { type: 'rename', name: 'New name' }, 'ok'],
  ['published', { type: 'rename', name: '   ' }, ['INVALID_INPUT', '1 to 100 characters']],
  ['published', { type: 'rename', name: 'x'.repeat(101) }, ['INVALID_INPUT', '1 to 100 characters']],
  ['published', { type: 'delete' }, 'ok'],
  ['retraining', { type: 'delete' }, ['INVALID_TRANSITION', 'Cancel the training before deleting']],
  ['both', { type: 'quickTest', version: 'published' }, 'ok'],
  ['both', { type: 'quickTest', version: 'lastTrained' }, 'ok'],
  ['published', { type: 'quickTest', version: 'lastTrained' }, ['INVALID_TRANSITION', 'no last trained version']],
  ['draftOnly', { type: 'quickTest' }, ['INVALID_TRANSITION', 'no trained version']],
  ['published', { type: 'predict' }, 'ok'],
  ['lastTrained', { type: 'predict' }, ['INVALID_TRANSITION', 'Publish a version']],
];

describe('the lifecycle action table', () => {
  it.each(rows.map(([f, a, e]) => [`${a.type} ${JSON.stringify({ ...a, type: undefined })} on ${f}`, f, a, e] as const))(
    '%s',
    (_name, fixture, action, expected) => {
      const before = S[fixture]();
      const snapshot = structuredClone(before);
      const r = attempt(before, action);
      expect(before).toEqual(snapshot); // the rules never mutate their input
      if (expected === 'ok') {
        expect(r.ok, r.ok ? '' : r.message).toBe(true);
      } else {
        expect(r.ok).toBe(false);
        if (!r.ok) {
          expect(r.code).toBe(expected[0]);
          expect(r.message).toContain(expected[1]);
        }
      }
    },
  );
});

describe('the two slots', () => {
  it('lands a successful training in Last trained and consumes the draft', () => {
    const queued = decide(fresh(), { type: 'train', runId: 'r1', draftErrors: [] }, ctx).state;
    const d = decide(queued, { type: 'runSucceeded', runId: 'r1' }, ctx);
    expect(d.version).toBe(1);
    expect(d.state.lastTrained?.version).toBe(1);
    expect(d.state.draft).toBeNull();
    expect(d.state.activeRun).toBeNull();
  });

  it('replaces the previous Last trained version and releases its artifact', () => {
    const s = { ...S.lastTrained(), activeRun: retrainRun };
    const d = decide(s, { type: 'runSucceeded', runId: 'r1' }, ctx);
    expect(d.state.lastTrained?.version).toBe(10);
    expect(d.released).toEqual([1]);
    expect(d.events.map((e) => e.type)).toEqual(['trained', 'replaced']);
  });

  it('leaves the draft and both slots untouched when a training fails or is cancelled', () => {
    const s = { ...S.bothWithDraft(), activeRun: trainRun };
    for (const action of [{ type: 'runFailed', runId: 'r1', message: 'boom' }, { type: 'runCancelled', runId: 'r1' }] as Action[]) {
      const d = decide(s, action, ctx);
      expect(d.state.draft).toEqual(s.draft);
      expect(d.state.published).toEqual(s.published);
      expect(d.state.lastTrained).toEqual(s.lastTrained);
      expect(d.state.activeRun).toBeNull();
      expect(d.state.lastRunOutcome?.runId).toBe('r1');
    }
  });

  it('keeps the published version while a retrain runs and after it succeeds', () => {
    const d = decide(S.retraining(), { type: 'runSucceeded', runId: 'r1' }, ctx);
    expect(d.state.published?.version).toBe(1);
    expect(d.state.lastTrained?.version).toBe(10);
  });

  it('publishes Last trained, empties that slot and keeps the replaced version for roll back', () => {
    const d = decide(S.both(), { type: 'publish' }, ctx);
    expect(d.state.published?.version).toBe(2);
    expect(d.state.lastTrained).toBeNull();
    expect(d.state.retained.map((r) => r.version)).toEqual([1]);
  });

  it('unpublishes back into Last trained when that slot is empty', () => {
    const d = decide(S.published(), { type: 'unpublish' }, ctx);
    expect(d.state.published).toBeNull();
    expect(d.state.lastTrained?.version).toBe(1);
  });

  it('drops the unpublished version from the slots when a more recent Last trained exists', () => {
    const d = decide(S.both(), { type: 'unpublish' }, ctx);
    expect(d.state.published).toBeNull();
    expect(d.state.lastTrained?.version).toBe(2);
    expect(d.state.retained.map((r) => r.version)).toEqual([1]);
  });

  it('rolls back to a retained version and keeps the current one retained', () => {
    const d = decide(S.withRetained(), { type: 'rollback', version: 1 }, ctx);
    expect(d.state.published?.version).toBe(1);
    expect(d.state.retained.map((r) => r.version)).toEqual([3, 2]);
  });

  it('releases the oldest retained artifact beyond the retention limit', () => {
    const s = state({ published: v(3), lastTrained: v(4), retained: [v(2), v(1)] });
    const d = decide(s, { type: 'publish' }, ctx);
    expect(d.state.retained.map((r) => r.version)).toEqual([3, 2]);
    expect(d.released).toEqual([1]);
  });

  it('copies the chosen base configuration into a new draft', () => {
    const d = decide(S.both(), { type: 'newVersion', from: 'published' }, ctx);
    expect(d.state.draft?.configuration).toEqual(v(1).configuration);
    expect(d.state.draft?.basedOn).toBe(1);
  });

  it('refuses a result from a run that is not the active one', () => {
    expect(() => decide(S.draftTraining(), { type: 'runSucceeded', runId: 'other' }, ctx)).toThrow(/not this model's active run/);
  });
});

describe('available actions', () => {
  it('explains why New version is disabled while a draft exists', () => {
    const a = availableActions(S.bothWithDraft(), ctx);
    expect(a.newVersion).toEqual({ allowed: false, reason: 'This model has a draft. Resume or discard the draft before creating a new version.' });
    expect(a.publish.allowed).toBe(true);
    expect(a.predict.allowed).toBe(true);
  });

  it('refuses Train with the check\'s first error when the draft is not valid', () => {
    const a = availableActions(S.draftOnly(), ctx, [{ message: 'Choose the column to predict.' }]);
    expect(a.train).toEqual({ allowed: false, reason: 'The draft cannot be trained yet: Choose the column to predict.' });
    expect(availableActions(S.draftOnly(), ctx).train.allowed).toBe(true);
  });
});

// Random sequences of actions: the invariants hold after every step, refusals change nothing.
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.constant<Action>({ type: 'editDraft', configuration: { x: 1 } }),
  fc.constantFrom<Action>({ type: 'newVersion' }, { type: 'newVersion', from: 'published' }, { type: 'newVersion', from: 'lastTrained' }),
  fc.constant<Action>({ type: 'discardDraft' }),
  fc.constant<Action>({ type: 'train', runId: 'run', draftErrors: [] }),
  fc.constantFrom<Action>({ type: 'retrain', runId: 'run' }, { type: 'retrain', runId: 'run', from: 'lastTrained' }),
  fc.constant<Action>({ type: 'runStarted', runId: 'run' }),
  fc.constant<Action>({ type: 'runSucceeded', runId: 'run' }),
  fc.constant<Action>({ type: 'runFailed', runId: 'run', message: 'boom' }),
  fc.constant<Action>({ type: 'runCancelled', runId: 'run' }),
  fc.constantFrom<Action>({ type: 'publish' }, { type: 'unpublish' }),
  fc.integer({ min: 1, max: 8 }).map((version): Action => ({ type: 'rollback', version })),
);

describe('random action sequences', () => {
  it('keep at most one draft, distinct slot versions, and never mutate state on refusal', () => {
    fc.assert(
      fc.property(fc.array(actionArb, { maxLength: 60 }), (actions) => {
        let s = fresh();
        for (const action of actions) {
          const before = structuredClone(s);
          const r = attempt(s, action);
          if (!r.ok) {
            expect(s).toEqual(before);
            continue;
          }
          const next = r.d.state;
          const live = [next.published, next.lastTrained, ...next.retained].filter(Boolean).map((x) => x!.version);
          expect(new Set(live).size).toBe(live.length); // a version is in one place only
          expect(next.retained.length).toBeLessThanOrEqual(ctx.retainedLimit);
          expect(next.nextVersion).toBeGreaterThan(Math.max(0, ...live));
          for (const released of r.d.released) expect(live).not.toContain(released);
          if (next.activeRun?.kind === 'train') expect(next.draft).not.toBeNull();
          s = next;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
