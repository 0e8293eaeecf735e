// The lifecycle rules of spec/lifecycle.md: given a model's state and an action, the new state
// and its history events, or a refusal that changes nothing. The ONE place these rules live.
import { LatheError } from './errors.js';
import {
  hasTrainedVersion,
  type ActiveRun,
  type Configuration,
  type HistoryEvent,
  type ModelState,
  type ModelType,
  type SlotName,
  type VersionRef,
} from './model-state.js';

export type Action =
  | { type: 'editDraft'; configuration: Configuration }
  | { type: 'newVersion'; from?: SlotName }
  | { type: 'resumeDraft' }
  | { type: 'discardDraft' }
  /** `draftErrors`: the engine's check of the draft against its table; any error refuses training. */
  | { type: 'train'; runId: string; draftErrors: { message: string }[] }
  | { type: 'retrain'; runId: string; from?: SlotName }
  | { type: 'runStarted'; runId: string }
  | { type: 'runSucceeded'; runId: string }
  | { type: 'runFailed'; runId: string; message: string }
  | { type: 'runCancelled'; runId: string }
  | { type: 'cancel' }
  | { type: 'publish' }
  | { type: 'unpublish' }
  | { type: 'rollback'; version: number }
  | { type: 'rename'; name?: string; description?: string }
  | { type: 'delete' }
  | { type: 'quickTest'; version?: SlotName }
  | { type: 'predict' };

export interface Context {
  /** ISO time of the action. */
  now: string;
  /** How many previously published versions keep their artifacts for Roll back. */
  retainedLimit: number;
}

export interface Decision {
  state: ModelState;
  events: HistoryEvent[];
  /** The version the action concerns: the new one (runSucceeded), the one to test or predict with. */
  version?: number;
  /** Versions whose artifacts are no longer needed after this action. */
  released: number[];
}

export const NAME_MAX = 100;
export const DESCRIPTION_MAX = 2000;

const refuse = (message: string, details: Record<string, unknown> = {}): never => {
  throw new LatheError('INVALID_TRANSITION', message, details);
};

const slotLabel = (slot: SlotName) => (slot === 'published' ? 'published version' : 'last trained version');

export function validateName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > NAME_MAX) {
    throw new LatheError('INVALID_INPUT', `A model name must be 1 to ${NAME_MAX} characters long; this one has ${trimmed.length}.`, {
      field: 'name',
    });
  }
  return trimmed;
}

export function createModel(input: {
  id: string;
  name: string;
  type: ModelType;
  owner: string;
  description?: string;
  configuration?: Configuration;
  now: string;
}): Decision {
  const name = validateName(input.name);
  const description = validateDescription(input.description ?? '');
  const state: ModelState = {
    id: input.id,
    name,
    description,
    type: input.type,
    owner: input.owner,
    createdAt: input.now,
    updatedAt: input.now,
    draft: { configuration: input.configuration ?? {}, basedOn: null, createdAt: input.now, updatedAt: input.now },
    lastTrained: null,
    published: null,
    retained: [],
    activeRun: null,
    lastRunOutcome: null,
    nextVersion: 1,
  };
  return { state, events: [{ type: 'created', message: `Model "${name}" created with a draft.` }], released: [] };
}

function validateDescription(description: string): string {
  if (description.length > DESCRIPTION_MAX) {
    throw new LatheError('INVALID_INPUT', `A description can have at most ${DESCRIPTION_MAX} characters; this one has ${description.length}.`, {
      field: 'description',
    });
  }
  return description;
}

/** Applies an action; throws LatheError (and changes nothing) when the rules refuse it. */
export function decide(state: ModelState, action: Action, ctx: Context): Decision {
  const s: ModelState = { ...state, updatedAt: ctx.now };
  const ok = (next: ModelState, events: HistoryEvent[] = [], extra: Partial<Decision> = {}): Decision => ({
    state: next,
    events,
    released: [],
    ...extra,
  });
  switch (action.type) {
    case 'editDraft': {
      if (!state.draft) refuse('This model has no draft to edit. Create a new version first.');
      if (state.activeRun?.kind === 'train') {
        refuse('The draft is being trained. Wait for the training to finish or cancel it before editing the draft.', {
          runId: state.activeRun.runId,
        });
      }
      return ok({ ...s, draft: { ...state.draft!, configuration: action.configuration, updatedAt: ctx.now } });
    }
    case 'newVersion': {
      if (state.draft) refuse('This model has a draft. Resume or discard the draft before creating a new version.');
      if (!hasTrainedVersion(state)) refuse('This model has no trained version yet. Train the draft first.');
      let from = action.from;
      if (!from) {
        if (state.published && state.lastTrained) {
          refuse('This model has both a published and a last trained version. Choose which one the new version starts from.', {
            choices: ['published', 'lastTrained'],
          });
        }
        from = state.published ? 'published' : 'lastTrained';
      }
      const base = state[from];
      if (!base) refuse(`This model has no ${slotLabel(from)} to start a new version from.`, { from });
      return ok(
        { ...s, draft: { configuration: base!.configuration, basedOn: base!.version, createdAt: ctx.now, updatedAt: ctx.now } },
        [{ type: 'draft-created', version: base!.version, message: `New draft from the ${slotLabel(from)} (version ${base!.version}).` }],
      );
    }
    case 'resumeDraft': {
      if (!state.draft) refuse('This model has no draft to resume.');
      return ok(state);
    }
    case 'discardDraft': {
      if (!state.draft) refuse('This model has no draft to discard.');
      if (state.activeRun?.kind === 'train') {
        refuse('The draft is being trained. Cancel the training before discarding the draft.', { runId: state.activeRun.runId });
      }
      return ok({ ...s, draft: null }, [{ type: 'draft-discarded', message: 'Draft discarded.' }]);
    }
    case 'train': {
      if (!state.draft) refuse('This model has no draft to train. Create a new version, or use Retrain now.');
      refuseWhileRunning(state);
      if (action.draftErrors.length > 0) {
        throw new LatheError(
          'INVALID_CONFIGURATION',
          `The draft cannot be trained yet: ${action.draftErrors[0].message}`,
          { errors: action.draftErrors },
        );
      }
      const run: ActiveRun = {
        runId: action.runId,
        kind: 'train',
        configuration: state.draft!.configuration,
        basedOn: state.draft!.basedOn,
        status: 'queued',
        queuedAt: ctx.now,
      };
      return ok({ ...s, activeRun: run, lastRunOutcome: null }, [{ type: 'run-queued', message: 'Training of the draft queued.', details: { runId: action.runId } }]);
    }
    case 'retrain': {
      if (state.draft) refuse('This model has a draft. Train the draft, or discard it, instead of retraining.');
      refuseWhileRunning(state);
      if (!hasTrainedVersion(state)) refuse('This model has no trained version to retrain. Train the draft first.');
      const from: SlotName = action.from ?? (state.published ? 'published' : 'lastTrained');
      const base = state[from];
      if (!base) refuse(`This model has no ${slotLabel(from)} to retrain.`, { from });
      const run: ActiveRun = {
        runId: action.runId,
        kind: 'retrain',
        configuration: base!.configuration,
        basedOn: base!.version,
        status: 'queued',
        queuedAt: ctx.now,
      };
      return ok({ ...s, activeRun: run, lastRunOutcome: null }, [
        { type: 'run-queued', version: base!.version, message: `Retraining of version ${base!.version} on the current rows queued.`, details: { runId: action.runId } },
      ]);
    }
    case 'runStarted': {
      const run = requireRun(state, action.runId);
      return ok({ ...s, activeRun: { ...run, status: 'running' } });
    }
    case 'runSucceeded': {
      const run = requireRun(state, action.runId);
      const version = state.nextVersion;
      const created: VersionRef = { version, configuration: run.configuration };
      const events: HistoryEvent[] = [
        {
          type: 'trained',
          version,
          message:
            run.kind === 'train'
              ? `Version ${version} trained from the draft${run.basedOn ? ` (based on version ${run.basedOn})` : ''}.`
              : `Version ${version} retrained from version ${run.basedOn} on the current rows.`,
          details: { runId: run.runId, kind: run.kind, basedOn: run.basedOn },
        },
      ];
      const released: number[] = [];
      if (state.lastTrained) {
        events.push({
          type: 'replaced',
          version: state.lastTrained.version,
          message: `Version ${state.lastTrained.version} (last trained, never published) was replaced by version ${version}.`,
          details: { replacedBy: version },
        });
        released.push(state.lastTrained.version);
      }
      const next: ModelState = {
        ...s,
        draft: run.kind === 'train' ? null : state.draft,
        lastTrained: created,
        activeRun: null,
        lastRunOutcome: null,
        nextVersion: version + 1,
      };
      return { state: next, events, version, released };
    }
    case 'runFailed':
    case 'runCancelled': {
      const run = requireRun(state, action.runId);
      const cancelled = action.type === 'runCancelled';
      const message = cancelled ? 'Training was cancelled.' : action.message;
      return ok(
        { ...s, activeRun: null, lastRunOutcome: { runId: run.runId, status: cancelled ? 'cancelled' : 'failed', message, at: ctx.now } },
        [{ type: cancelled ? 'run-cancelled' : 'run-failed', message: cancelled ? message : `Training failed: ${message}`, details: { runId: run.runId } }],
      );
    }
    case 'cancel': {
      if (!state.activeRun) refuse('This model has no training to cancel.');
      return ok(state);
    }
    case 'publish': {
      if (!state.lastTrained) refuse('There is no last trained version to publish. Train the model first.');
      const events: HistoryEvent[] = [];
      let retained = state.retained;
      if (state.published) {
        events.push({
          type: 'replaced',
          version: state.published.version,
          message: `Version ${state.published.version} was unpublished: version ${state.lastTrained!.version} replaced it.`,
          details: { replacedBy: state.lastTrained!.version },
        });
        retained = [state.published, ...retained];
      }
      events.unshift({ type: 'published', version: state.lastTrained!.version, message: `Version ${state.lastTrained!.version} published.` });
      return withRetention({ ...s, published: state.lastTrained, lastTrained: null, retained }, events, ctx);
    }
    case 'unpublish': {
      if (!state.published) refuse('This model has no published version to unpublish.');
      const v = state.published!.version;
      if (state.lastTrained) {
        return withRetention({ ...s, published: null, retained: [state.published!, ...state.retained] }, [
          {
            type: 'unpublished',
            version: v,
            message: `Version ${v} unpublished. The last trained version ${state.lastTrained.version} is more recent, so version ${v} left the slots (kept for roll back).`,
          },
        ], ctx);
      }
      return ok({ ...s, published: null, lastTrained: state.published }, [
        { type: 'unpublished', version: v, message: `Version ${v} unpublished; it is the last trained version again.` },
      ]);
    }
    case 'rollback': {
      const target = state.retained.find((r) => r.version === action.version);
      if (!target) {
        if (state.published?.version === action.version) refuse(`Version ${action.version} is already published.`);
        refuse(
          `Version ${action.version} cannot be rolled back to: only previously published versions whose files are kept can be (${
            state.retained.map((r) => r.version).join(', ') || 'none now'
          }).`,
          { rollbackable: state.retained.map((r) => r.version) },
        );
      }
      const retained = state.retained.filter((r) => r.version !== action.version);
      const events: HistoryEvent[] = [{ type: 'rolled-back', version: action.version, message: `Rolled back: version ${action.version} is published again.` }];
      if (state.published) {
        retained.unshift(state.published);
        events.push({
          type: 'replaced',
          version: state.published.version,
          message: `Version ${state.published.version} was unpublished by the roll back to version ${action.version}.`,
          details: { replacedBy: action.version },
        });
      }
      return withRetention({ ...s, published: target!, retained }, events, ctx);
    }
    case 'rename': {
      const name = action.name === undefined ? state.name : validateName(action.name);
      const description = action.description === undefined ? state.description : validateDescription(action.description);
      const events: HistoryEvent[] =
        name !== state.name ? [{ type: 'renamed', message: `Renamed from "${state.name}" to "${name}".` }] : [];
      return ok({ ...s, name, description }, events);
    }
    case 'delete': {
      if (state.activeRun) refuse('This model is training. Cancel the training before deleting the model.', { runId: state.activeRun.runId });
      return { state, events: [], released: liveVersionsOf(state) };
    }
    case 'quickTest': {
      const slot: SlotName | undefined = action.version ?? (state.lastTrained ? 'lastTrained' : state.published ? 'published' : undefined);
      if (!slot || !state[slot]) {
        refuse(
          slot ? `This model has no ${slotLabel(slot)} to test.` : 'This model has no trained version to test yet. Train it first.',
          { version: action.version },
        );
      }
      return { state, events: [], released: [], version: state[slot!]!.version };
    }
    case 'predict': {
      if (!state.published) refuse('This model has no published version. Publish a version before calling predict.');
      return { state, events: [], released: [], version: state.published!.version };
    }
  }
}

function refuseWhileRunning(state: ModelState): void {
  if (state.activeRun) {
    refuse('This model is already training. Wait for it to finish or cancel it.', { runId: state.activeRun.runId });
  }
}

function requireRun(state: ModelState, runId: string): ActiveRun {
  if (!state.activeRun || state.activeRun.runId !== runId) {
    throw new LatheError('CONFLICT', `Run ${runId} is not this model's active run.`, { runId });
  }
  return state.activeRun;
}

function liveVersionsOf(state: ModelState): number[] {
  return [state.published, state.lastTrained, ...state.retained].filter((v): v is VersionRef => v !== null).map((v) => v.version);
}

/** Keeps at most `retainedLimit` previously published versions; the oldest ones' artifacts are released. */
function withRetention(next: ModelState, events: HistoryEvent[], ctx: Context): Decision {
  const keep = next.retained.slice(0, Math.max(0, ctx.retainedLimit));
  const dropped = next.retained.slice(keep.length);
  for (const d of dropped) {
    events.push({
      type: 'artifact-released',
      version: d.version,
      message: `Version ${d.version} can no longer be rolled back to: only the ${ctx.retainedLimit} most recent previously published versions are kept.`,
    });
  }
  return { state: { ...next, retained: keep }, events, released: dropped.map((d) => d.version) };
}
