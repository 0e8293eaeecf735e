// Train and retrain: the rules decide, then the run row and the state that points at it are committed
// together and the run is queued on the training runner.
import type { Run } from '../../contract/runs.js';
import { isLatheError, LatheError } from '../../domain/errors.js';
import { decide, type Context, type Decision } from '../../domain/lifecycle.js';
import type { ModelType, SlotName } from '../../domain/model-state.js';
import type { RunRecord } from '../../storage/models/model-store.js';
import type { TrainingRunner } from '../../training/runner.js';
import type { TableInfo } from '../tables.js';
import type { DraftChecker } from './draft-check.js';
import { newId } from './ids.js';
import type { ModelWriter, Stored } from './model-writer.js';
import { OWNER } from './run-owner.js';
import type { RunTracker } from './run-tracker.js';
import { toRunContract } from './run-view.js';
import type { TableSource } from './service-options.js';

export function createRunStarts(deps: {
  writer: ModelWriter;
  checker: DraftChecker;
  tables: TableSource;
  runner: TrainingRunner;
  tracker: RunTracker;
  user: string;
  seed: number;
}) {
  const { writer, checker, tables, runner, tracker, user, seed } = deps;

  function enqueue(rec: RunRecord, type: ModelType): void {
    runner.enqueue({
      runId: rec.id,
      modelType: type,
      configuration: rec.configuration,
      seed: rec.seed,
      loadData: async () => {
        // The draft check may just have read this revision; reuse it rather than read it twice.
        const data = checker.cachedData(rec.tableId, rec.tableRevision) ?? (await tables.readData(rec.tableId, rec.tableRevision));
        tracker.recordTable(rec.id, { id: data.tableId, name: data.name, revision: data.revision, digest: data.digest, rowCount: data.rowCount });
        return data;
      },
    });
  }

  /** Creates the run row together with the state that points at it, then queues it. */
  async function startRun(stored: Stored, decision: Decision, c: Context, table: TableInfo): Promise<Run> {
    const active = decision.state.activeRun!;
    const rec: RunRecord = {
      id: active.runId,
      modelId: stored.state.id,
      kind: active.kind,
      status: 'queued',
      stage: 'queued',
      progress: 0,
      version: null,
      error: null,
      createdAt: c.now,
      startedAt: null,
      finishedAt: null,
      actor: user,
      basedOn: active.basedOn,
      configuration: active.configuration,
      tableId: table.id,
      tableRevision: table.revision,
      seed,
      owner: OWNER,
    };
    await writer.commitDecision(stored, decision, c, user, { insertRuns: [rec] });
    enqueue(rec, stored.state.type);
    return toRunContract(rec);
  }

  return {
    async train(modelId: string): Promise<Run> {
      writer.ensureOpen();
      return writer.withLock(modelId, async () => {
        const stored = await writer.load(modelId);
        const configuration = stored.state.draft?.configuration ?? {};
        // The check needs the table; without a draft, `decide` refuses before looking at it.
        const checked = stored.state.draft ? await checker.validate(stored.state.type, configuration) : { report: { errors: [], warnings: [] } };
        const c = writer.ctx();
        const decision = decide(stored.state, { type: 'train', runId: newId('run_'), draftErrors: checked.report.errors }, c);
        if (!checked.table) {
          // Only reachable if an engine's check forgets to require a table.
          throw new LatheError('INVALID_CONFIGURATION', 'The draft cannot be trained yet: choose the table to learn from.', {
            errors: [{ code: 'NO_TABLE', message: 'Choose the table to learn from.' }],
          });
        }
        // The revision checked is the revision trained: the run sees exactly the rows current now.
        return startRun(stored, decision, c, checked.table);
      });
    },

    async retrain(modelId: string, from?: SlotName): Promise<Run> {
      writer.ensureOpen();
      return writer.withLock(modelId, async () => {
        const stored = await writer.load(modelId);
        const c = writer.ctx();
        const decision = decide(stored.state, { type: 'retrain', runId: newId('run_'), from }, c);
        const tableId = String(decision.state.activeRun!.configuration.tableId ?? '');
        let table: TableInfo;
        try {
          table = await tables.get(tableId);
        } catch (e) {
          if (isLatheError(e) && e.code === 'NOT_FOUND') {
            throw new LatheError('INVALID_CONFIGURATION', `The table this model was trained on (${tableId}) no longer exists, so it cannot be retrained. Create a new version on another table.`, {
              errors: [{ code: 'TABLE_NOT_FOUND', message: e.message }],
            });
          }
          throw e;
        }
        return startRun(stored, decision, c, table);
      });
    },
  };
}
