// The user actions that change a model's state without training: create, rename, edit or discard the
// draft, new version, publish, unpublish, roll back, delete.
import type { Model } from '../../contract/models.js';
import { LatheError } from '../../domain/errors.js';
import { createModel, decide, type Action } from '../../domain/lifecycle.js';
import { MODEL_TYPES, type Configuration, type ModelType, type SlotName } from '../../domain/model-state.js';
import type { ArtifactStore } from '../../storage/artifacts.js';
import type { ModelStore } from '../../storage/models/model-store.js';
import { newId } from './ids.js';
import { isObject } from './input-checks.js';
import { eventRecords, type ModelWriter, type Stored } from './model-writer.js';
import type { Predictors } from './predictors.js';

export function createModelActions(deps: {
  store: ModelStore;
  artifacts: ArtifactStore;
  writer: ModelWriter;
  predictors: Predictors;
  toModel(stored: Stored): Promise<Model>;
  user: string;
}) {
  const { store, artifacts, writer, predictors, toModel, user } = deps;

  async function act(modelId: string, action: Action): Promise<Model> {
    const stored = await writer.commitAction(modelId, action, user);
    // Shaping the reply (it may check the draft against its table) happens outside the lock.
    return toModel(stored);
  }

  return {
    async create(input: { name: string; type: ModelType; description?: string; configuration?: Configuration }): Promise<Model> {
      writer.ensureOpen();
      if (!MODEL_TYPES.includes(input.type)) {
        throw new LatheError('INVALID_INPUT', `"${String(input.type)}" is not a model type. Use one of: ${MODEL_TYPES.join(', ')}.`, { field: 'type' });
      }
      if (input.configuration !== undefined && !isObject(input.configuration)) {
        throw new LatheError('INVALID_INPUT', 'The configuration must be an object.', { field: 'configuration' });
      }
      const c = writer.ctx();
      const decision = createModel({
        id: newId('mdl_'),
        name: input.name,
        type: input.type,
        owner: user,
        description: input.description,
        configuration: input.configuration,
        now: c.now,
      });
      return toModel(await store.createModel(decision.state, eventRecords(decision.events, c.now, user)));
    },

    update(modelId: string, input: { name?: string; description?: string }): Promise<Model> {
      return act(modelId, { type: 'rename', name: input.name, description: input.description });
    },

    async saveDraft(modelId: string, configuration: Configuration): Promise<Model> {
      if (!isObject(configuration)) throw new LatheError('INVALID_INPUT', 'The configuration must be an object.', { field: 'configuration' });
      return act(modelId, { type: 'editDraft', configuration });
    },

    discardDraft: (modelId: string) => act(modelId, { type: 'discardDraft' }),
    newVersion: (modelId: string, from?: SlotName) => act(modelId, { type: 'newVersion', from }),
    publish: (modelId: string) => act(modelId, { type: 'publish' }),
    unpublish: (modelId: string) => act(modelId, { type: 'unpublish' }),
    rollback: (modelId: string, version: number) => act(modelId, { type: 'rollback', version }),

    async delete(modelId: string): Promise<void> {
      writer.ensureOpen();
      await writer.withLock(modelId, async () => {
        const stored = await writer.load(modelId);
        decide(stored.state, { type: 'delete' }, writer.ctx());
        await store.deleteModel(modelId, stored.revision);
        predictors.forgetModel(modelId);
        await artifacts.deleteModel(modelId);
      });
    },
  };
}
