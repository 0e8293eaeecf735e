// The write path of a model: one writer per model in this process, and every change committed with
// compare-and-set on the revision read (a racing process makes the commit fail, never interleave).
import { isLatheError, LatheError, notFound } from '../../domain/errors.js';
import { decide, type Action, type Context, type Decision } from '../../domain/lifecycle.js';
import type { HistoryEvent } from '../../domain/model-state.js';
import type { ArtifactStore } from '../../storage/artifacts.js';
import type { EventRecord, ModelStore, StateChange, StoredState } from '../../storage/models/model-store.js';

export type Stored = StoredState;

export const eventRecords = (events: HistoryEvent[], at: string, actor: string): EventRecord[] =>
  events.map((e) => ({ at, actor, type: e.type, version: e.version ?? null, message: e.message, details: e.details ?? {} }));

export interface ModelWriter {
  /** The rules' context of a decision made now. */
  ctx(): Context;
  /** Keeps `p` among the writes `drain` waits for. */
  track<T>(p: Promise<T>): Promise<T>;
  /** Runs `fn` after every earlier call for the same model: one writer per model in this process. */
  withLock<T>(modelId: string, fn: () => Promise<T>): Promise<T>;
  /** Refuses writes once the service is closed. */
  ensureOpen(): void;
  load(modelId: string): Promise<Stored>;
  /**
   * The one write path of user actions: decide, then commit state + events (+ whatever `extra`
   * adds) only if nobody wrote since we read. Called under the model's lock.
   */
  commitDecision(
    stored: Stored,
    decision: Decision,
    c: Context,
    actor: string,
    extra?: Partial<Pick<StateChange, 'versions' | 'insertRuns' | 'updateRuns'>>,
  ): Promise<Stored>;
  /** A user action that only changes the state: load → decide → commit, serialized per model. */
  commitAction(modelId: string, action: Action, actor: string): Promise<Stored>;
  /**
   * Run transitions are the system's writes, not a user's: when another process changed the model
   * between our read and our write (a lost compare-and-set), read again and decide again.
   */
  retryStale<T>(fn: () => Promise<T>): Promise<T>;
  /** Marks the service closed; false if it already was. */
  markClosed(): boolean;
  /** Resolves once every tracked write has ended. */
  drain(): Promise<void>;
}

export function createModelWriter(deps: {
  store: ModelStore;
  artifacts: ArtifactStore;
  retainedVersions: number;
  /** Drops what is cached of a released version. */
  forgetVersion(modelId: string, version: number): void;
}): ModelWriter {
  const { store, artifacts } = deps;
  const locks = new Map<string, Promise<unknown>>();
  const inflight = new Set<Promise<unknown>>();
  let closed = false;

  const ctx = (): Context => ({ now: new Date().toISOString(), retainedLimit: deps.retainedVersions });

  const track = <T>(p: Promise<T>): Promise<T> => {
    inflight.add(p);
    void p.finally(() => inflight.delete(p)).catch(() => undefined);
    return p;
  };

  function withLock<T>(modelId: string, fn: () => Promise<T>): Promise<T> {
    const previous = locks.get(modelId) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(fn);
    locks.set(modelId, run);
    void run
      .finally(() => {
        if (locks.get(modelId) === run) locks.delete(modelId);
      })
      .catch(() => undefined);
    return track(run);
  }

  function ensureOpen(): void {
    if (closed) throw new LatheError('INTERNAL', 'The models service is closed.');
  }

  async function load(modelId: string): Promise<Stored> {
    const stored = await store.getState(modelId);
    if (!stored) throw notFound('Model', modelId);
    return stored;
  }

  /** Deletes released versions' files once the state no longer points at them; a leftover file is swept at the next open. */
  async function release(modelId: string, versions: number[]): Promise<void> {
    for (const v of versions) {
      deps.forgetVersion(modelId, v);
      try {
        await artifacts.delete(modelId, v);
      } catch (e) {
        console.error(`Lathe: could not delete the file of version ${v} of model ${modelId}:`, e);
      }
    }
  }

  async function commitDecision(
    stored: Stored,
    decision: Decision,
    c: Context,
    actor: string,
    extra: Partial<Pick<StateChange, 'versions' | 'insertRuns' | 'updateRuns'>> = {},
  ): Promise<Stored> {
    const revision = await store.commit({
      modelId: stored.state.id,
      expectedRevision: stored.revision,
      state: decision.state,
      events: eventRecords(decision.events, c.now, actor),
      ...extra,
    });
    await release(stored.state.id, decision.released);
    return { state: decision.state, revision };
  }

  async function commitAction(modelId: string, action: Action, actor: string): Promise<Stored> {
    ensureOpen();
    return withLock(modelId, async () => {
      const current = await load(modelId);
      const c = ctx();
      return commitDecision(current, decide(current.state, action, c), c, actor);
    });
  }

  async function retryStale<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        if (!(isLatheError(e) && e.code === 'CONFLICT' && e.details.stale === true) || attempt >= 5) throw e;
      }
    }
  }

  function markClosed(): boolean {
    if (closed) return false;
    closed = true;
    return true;
  }

  async function drain(): Promise<void> {
    while (inflight.size > 0) await Promise.allSettled([...inflight]);
  }

  return { ctx, track, withLock, ensureOpen, load, commitDecision, commitAction, retryStale, markClosed, drain };
}
