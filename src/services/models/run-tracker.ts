// Runs as this process sees them: the latest progress (stored only now and then), the table revision
// each run read, and the listeners that follow a run until it ends.
import type { Run } from '../../contract/runs.js';
import { notFound } from '../../domain/errors.js';
import type { ModelStore, TableRefRecord } from '../../storage/models/model-store.js';
import { hasEnded, toRunContract } from './run-view.js';

const PROGRESS_WRITE_MS = 500;

export interface RunTracker {
  /** The stored run with this process's fresher progress, if it is running here. */
  runContract(runId: string): Promise<Run | undefined>;
  getRun(runId: string): Promise<Run>;
  /** Calls `listener` with the run now, then on every change until it ends; returns unsubscribe. */
  subscribe(runId: string, listener: (run: Run) => void): () => void;
  /** The run left the queue here: its progress is followed from now on. */
  started(runId: string): Promise<void>;
  progress(runId: string, stage: string, fraction: number): void;
  /** Records the table revision a running run read (ignored once the run has ended). */
  recordTable(runId: string, table: TableRefRecord): void;
  tableOf(runId: string): TableRefRecord | undefined;
  /** The run has ended and is stored so: forget it here and tell its listeners. */
  ended(runId: string): Promise<void>;
}

export function createRunTracker(store: ModelStore, track: <T>(p: Promise<T>) => Promise<T>): RunTracker {
  const listeners = new Map<string, Set<(run: Run) => void>>();
  /** Latest progress of runs in this process (stored at most every PROGRESS_WRITE_MS). */
  const live = new Map<string, { run: Run; lastWrite: number }>();
  /** The table revision each running run actually read, for its version record. */
  const runTables = new Map<string, TableRefRecord>();

  async function runContract(runId: string): Promise<Run | undefined> {
    const mem = live.get(runId);
    const rec = await store.getRun(runId);
    if (!rec) return undefined;
    const run = toRunContract(rec);
    if (mem && !hasEnded(run.status)) return { ...run, stage: mem.run.stage, progress: mem.run.progress };
    return run;
  }

  function notify(run: Run): void {
    const set = listeners.get(run.id);
    if (!set) return;
    for (const l of [...set]) {
      try {
        l(run);
      } catch (e) {
        console.error('Lathe: a run listener failed:', e);
      }
    }
    if (hasEnded(run.status)) listeners.delete(run.id);
  }

  return {
    runContract,

    async getRun(runId) {
      const run = await runContract(runId);
      if (!run) throw notFound('Run', runId);
      return run;
    },

    subscribe(runId, listener) {
      let set = listeners.get(runId);
      if (!set) listeners.set(runId, (set = new Set()));
      set.add(listener);
      // The subscriber first hears where the run stands now (it may already have ended).
      void runContract(runId).then((run) => {
        if (run && listeners.get(runId)?.has(listener)) {
          listener(run);
          if (hasEnded(run.status)) listeners.get(runId)?.delete(listener);
        }
      });
      return () => {
        listeners.get(runId)?.delete(listener);
      };
    },

    async started(runId) {
      const run = (await runContract(runId))!;
      live.set(runId, { run, lastWrite: Date.now() });
      notify(run);
    },

    progress(runId, stage, fraction) {
      const mem = live.get(runId);
      if (!mem) return;
      mem.run = { ...mem.run, stage, progress: fraction };
      notify(mem.run);
      const now = Date.now();
      if (now - mem.lastWrite >= PROGRESS_WRITE_MS) {
        mem.lastWrite = now;
        void track(store.updateRunProgress(runId, stage, fraction)).catch((e) => console.error('Lathe: storing progress failed:', e));
      }
    },

    recordTable(runId, table) {
      // A run cancelled while its data loaded has left `live`; it needs no record.
      if (live.has(runId)) runTables.set(runId, table);
    },

    tableOf: (runId) => runTables.get(runId),

    async ended(runId) {
      live.delete(runId);
      runTables.delete(runId);
      const run = await runContract(runId);
      if (run) notify(run);
    },
  };
}
