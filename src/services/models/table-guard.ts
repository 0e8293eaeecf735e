// The rule that a table cannot be deleted while models use it: a model's draft names its table,
// and its trained versions need it to retrain. Registered with the tables service as a delete guard.
import { LatheError } from '../../domain/errors.js';
import type { ModelState } from '../../domain/model-state.js';
import type { ModelStore } from '../../storage/models/model-store.js';

/** The table ids a model's draft, run and kept versions were set up with. */
function tablesOf(state: ModelState): Set<unknown> {
  const configs = [state.draft?.configuration, state.activeRun?.configuration, state.lastTrained?.configuration, state.published?.configuration, ...state.retained.map((v) => v.configuration)];
  return new Set(configs.map((c) => c?.tableId).filter((id) => id !== undefined));
}

/** Refuses (CONFLICT) to delete a table that a model uses, naming the models. */
export function createTableGuard(store: ModelStore) {
  return async (table: { id: string; name: string }): Promise<void> => {
    const users = (await store.listStates()).filter((s) => tablesOf(s.state).has(table.id)).map((s) => ({ id: s.state.id, name: s.state.name }));
    if (users.length === 0) return;
    const names = users.map((u) => `"${u.name}"`).join(', ');
    throw new LatheError(
      'CONFLICT',
      `Table "${table.name}" is used by ${users.length === 1 ? 'the model' : `${users.length} models:`} ${names}. Delete ${users.length === 1 ? 'that model' : 'those models'} first, or keep the table.`,
      { models: users },
    );
  };
}
