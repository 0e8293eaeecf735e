// `lathe models …`, `lathe quick-test`, `lathe predict`: the model lifecycle from the command line.
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { ApiError, type LatheClient } from '../../client/index.js';
import { isRunEnded, type ModelReply, type RunReply } from '../../client/models.js';
import { withClient, type GlobalFlags } from '../context.js';
import { emit, progressBar } from '../output.js';
import { editConfiguration, slotOf } from './models-config.js';
import { comparisonText, historyText, modelsTable, modelText, quickTestText, runLine } from './models-format.js';
import { predictCsv } from './models-predict.js';
import { resolveTable } from './tables.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The flags of the whole program (--url, --data-dir, --json) as seen from a subcommand. */
const globals = (cmd: Command): GlobalFlags => cmd.optsWithGlobals() as GlobalFlags;

/** A model by id, or by its exact name (case-insensitive) when that names one model. */
export async function resolveModel(client: LatheClient, ref: string): Promise<ModelReply> {
  try {
    return await client.models.get(ref);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404) throw err;
    const named = (await client.models.list()).filter((m) => m.name.toLowerCase() === ref.toLowerCase());
    if (named.length === 1) return named[0];
    if (named.length > 1) throw new Error(`${named.length} models are named "${ref}": use the id (${named.map((m) => m.id).join(', ')}).`);
    throw new ApiError(404, 'NOT_FOUND', `There is no model with the id or name "${ref}". \`lathe models list\` shows them.`);
  }
}

/** "3" or "v3" → 3. */
function versionNumber(text: string): number {
  const n = Number(text.replace(/^v/i, ''));
  if (!Number.isInteger(n) || n < 1) throw new Error(`"${text}" is not a version number.`);
  return n;
}

/**
 * Follows a run with a progress bar on stderr and returns it once it has ended. Ctrl-C cancels the
 * training when it runs in this process (local mode); with a server it only stops watching.
 */
async function followRun(client: LatheClient, run: RunReply, local: boolean): Promise<RunReply> {
  const bar = progressBar(run.kind === 'retrain' ? 'Retraining' : 'Training');
  const onInterrupt = () => {
    bar.done();
    if (local) {
      process.stderr.write('Cancelling the training…\n');
      // The wait below then ends with the cancelled run and the command reports it.
      client.models.cancelRun(run.id).catch(() => process.exit(130));
      return;
    }
    process.stderr.write(`Stopped watching; the training goes on on the server. \`lathe models cancel ${run.modelId}\` stops it.\n`);
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  try {
    bar.update(run.progress, run.stage);
    const final = await client.models.waitForRun(run.id, (r) => bar.update(r.progress, r.stage));
    bar.done();
    return final;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

/** Waits for (or, with --no-wait, just reports) a started run, then reports the outcome. */
async function startedRun(client: LatheClient, cmd: Command, run: RunReply, wait: boolean): Promise<void> {
  const flags = globals(cmd);
  const local = !(flags.url ?? process.env.LATHE_URL);
  if (!wait && !local) {
    emit(flags.json, run, () => `${runLine(run)}\nFollow it with \`lathe models watch ${run.modelId}\`; stop it with \`lathe models cancel ${run.modelId}\`.`);
    return;
  }
  // Without a server the training runs inside this process, so the command must stay until it ends.
  if (!wait) process.stderr.write('Working on the local data folder: waiting for the training (use --url to leave it to a server).\n');
  const final = isRunEnded(run) ? run : await followRun(client, run, local);
  if (final.status !== 'succeeded') {
    if (flags.json) emit(true, final, () => '');
    throw Object.assign(new Error(final.status === 'cancelled' ? 'The training was cancelled.' : `The training failed: ${final.error ?? 'no reason given'}`), {
      code: final.status === 'cancelled' ? 'CANCELLED' : 'TRAINING_FAILED',
    });
  }
  const model = await client.models.get(final.modelId);
  emit(flags.json, { run: final, model }, () => `Trained v${final.version}.\n\n${modelText(model)}`);
}

export function registerModelsCommands(program: Command): void {
  const models = program.command('models').description('Create, train, publish and manage models');

  const showModel = (cmd: Command, model: ModelReply, note = '') => emit(globals(cmd).json, model, () => (note ? `${note}\n\n` : '') + modelText(model));

  models
    .command('create')
    .description('Create a model (and configure its draft in the same command)')
    .argument('<name>', 'model name (1-100 characters)')
    .requiredOption('--type <type>', 'prediction | text-classification')
    .option('--description <text>', 'what the model is for')
    .option('--table <table>', 'the table to train on (id or exact name)')
    .option('--target <column>', 'prediction: the column to predict')
    .option('--text <column>', 'text classification: the column holding the text')
    .option('--tags <column>', 'text classification: the column holding the tag(s)')
    .option('--set <key=value>', 'any other configuration setting (repeatable)', collect)
    .action(async (name: string, o: Record<string, string | string[] | undefined>, cmd: Command) => {
      const type = String(o.type);
      if (type !== 'prediction' && type !== 'text-classification') throw new Error(`--type must be prediction or text-classification, not "${type}".`);
      const columns: Record<string, unknown> = {};
      if (type === 'prediction' && o.target) columns.target = o.target;
      if (type === 'text-classification' && o.text) columns.textColumn = o.text;
      if (type === 'text-classification' && o.tags) columns.tagColumn = o.tags;
      if (type === 'prediction' && (o.text || o.tags)) throw new Error('--text and --tags are for text-classification models; use --target.');
      if (type === 'text-classification' && o.target) throw new Error('--target is for prediction models; use --text and --tags.');
      await withClient(globals(cmd), async (client) => {
        const table = o.table ? { tableId: (await resolveTable(client, String(o.table))).id } : {};
        const configuration = editConfiguration({ ...table, ...columns }, { set: o.set as string[] | undefined });
        const model = await client.models.create({
          name,
          type,
          description: o.description as string | undefined,
          configuration: Object.keys(configuration).length ? configuration : undefined,
        });
        showModel(cmd, model, `Created model ${model.id}.`);
      });
    });

  models
    .command('list')
    .description('List the models')
    .action(async (_o: unknown, cmd: Command) => {
      await withClient(globals(cmd), async (client) => {
        const list = await client.models.list();
        emit(globals(cmd).json, { models: list }, () => modelsTable(list));
      });
    });

  models
    .command('show')
    .description('Show a model: slots, scores, draft and its validation, training')
    .argument('<model>', 'model id or name')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      await withClient(globals(cmd), async (client) => showModel(cmd, await resolveModel(client, ref)));
    });

  models
    .command('rename')
    .description('Rename a model (or change its description)')
    .argument('<model>', 'model id or name')
    .argument('[new-name]', 'the new name')
    .option('--description <text>', 'a new description')
    .action(async (ref: string, newName: string | undefined, o: { description?: string }, cmd: Command) => {
      if (newName === undefined && o.description === undefined) throw new Error('Give a new name, --description, or both.');
      await withClient(globals(cmd), async (client) => {
        const model = await resolveModel(client, ref);
        showModel(cmd, await client.models.update(model.id, { name: newName, description: o.description }), 'Saved.');
      });
    });

  models
    .command('draft')
    .description('Edit the draft (saved at once; validation messages shown), or --discard it')
    .argument('<model>', 'model id or name')
    .option('--set <key=value>', 'set a configuration key; key:=<json> for JSON; dotted keys nest (repeatable)', collect)
    .option('--unset <key>', 'remove a configuration key (repeatable)', collect)
    .option('--configuration <json>', 'replace the whole configuration with this JSON object')
    .option('--discard', 'throw the draft away')
    .action(async (ref: string, o: { set?: string[]; unset?: string[]; configuration?: string; discard?: boolean }, cmd: Command) => {
      await withClient(globals(cmd), async (client) => {
        const model = await resolveModel(client, ref);
        if (o.discard) {
          showModel(cmd, await client.models.discardDraft(model.id), 'Draft discarded.');
          return;
        }
        if (!o.set && !o.unset && o.configuration === undefined) {
          // No edits: show the draft (Resume draft).
          if (!model.draft) throw new ApiError(409, 'INVALID_TRANSITION', 'This model has no draft. Start one with `lathe models new-version`.');
          showModel(cmd, model);
          return;
        }
        const configuration = editConfiguration(model.draft?.configuration ?? {}, o);
        showModel(cmd, await client.models.saveDraft(model.id, configuration), 'Draft saved.');
      });
    });

  models
    .command('new-version')
    .description('Start a new draft from the published or last trained version')
    .argument('<model>', 'model id or name')
    .option('--from <slot>', 'published | last (needed when both exist)')
    .action(async (ref: string, o: { from?: string }, cmd: Command) => {
      await withClient(globals(cmd), async (client) => {
        const model = await resolveModel(client, ref);
        showModel(cmd, await client.models.newVersion(model.id, slotOf(o.from)), 'New draft created.');
      });
    });

  models
    .command('train')
    .description('Train the draft; shows progress until it ends')
    .argument('<model>', 'model id or name')
    .option('--no-wait', 'return the run at once (with --url)')
    .action(async (ref: string, o: { wait: boolean }, cmd: Command) => {
      await withClient(globals(cmd), async (client) => {
        const model = await resolveModel(client, ref);
        await startedRun(client, cmd, await client.models.train(model.id), o.wait);
      });
    });

  models
    .command('retrain')
    .description("Retrain with the same configuration on the table's current rows")
    .argument('<model>', 'model id or name')
    .option('--from <slot>', 'published | last (default: published if there is one)')
    .option('--no-wait', 'return the run at once (with --url)')
    .action(async (ref: string, o: { from?: string; wait: boolean }, cmd: Command) => {
      await withClient(globals(cmd), async (client) => {
        const model = await resolveModel(client, ref);
        await startedRun(client, cmd, await client.models.retrain(model.id, slotOf(o.from)), o.wait);
      });
    });

  models
    .command('watch')
    .description("Follow a model's training with a progress bar until it ends")
    .argument('<model>', 'model id or name')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      await withClient(globals(cmd), async (client) => {
        const model = await resolveModel(client, ref);
        if (!model.activeRun) throw new ApiError(409, 'INVALID_TRANSITION', `Model "${model.name}" is not training.`);
        await startedRun(client, cmd, model.activeRun, true);
      });
    });

  models
    .command('cancel')
    .description("Cancel a model's training (or a run by its id)")
    .argument('<model-or-run>', 'model id or name, or run id')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      await withClient(globals(cmd), async (client) => {
        let runId = ref;
        try {
          const model = await resolveModel(client, ref);
          if (!model.activeRun) throw new ApiError(409, 'INVALID_TRANSITION', `Model "${model.name}" is not training: there is nothing to cancel.`);
          runId = model.activeRun.id;
        } catch (err) {
          if (!(err instanceof ApiError) || err.status !== 404) throw err;
        }
        const run = await client.models.cancelRun(runId);
        emit(globals(cmd).json, run, () => runLine(run));
      });
    });

  for (const [name, description] of [
    ['publish', 'Publish the last trained version'],
    ['unpublish', 'Unpublish the published version'],
  ] as const) {
    models
      .command(name)
      .description(description)
      .argument('<model>', 'model id or name')
      .action(async (ref: string, _o: unknown, cmd: Command) => {
        await withClient(globals(cmd), async (client) => {
          const model = await resolveModel(client, ref);
          const next = name === 'publish' ? await client.models.publish(model.id) : await client.models.unpublish(model.id);
          showModel(cmd, next, name === 'publish' ? `Published v${next.published?.version}.` : 'Unpublished.');
        });
      });
  }

  models
    .command('rollback')
    .description('Republish a previously published version')
    .argument('<model>', 'model id or name')
    .argument('<version>', 'version number (see `lathe models show`: Roll back to)')
    .action(async (ref: string, version: string, _o: unknown, cmd: Command) => {
      const n = versionNumber(version);
      await withClient(globals(cmd), async (client) => {
        const model = await resolveModel(client, ref);
        showModel(cmd, await client.models.rollback(model.id, n), `Rolled back: v${n} is published.`);
      });
    });

  models
    .command('history')
    .description('Every version ever trained and everything that happened')
    .argument('<model>', 'model id or name')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      await withClient(globals(cmd), async (client) => {
        const model = await resolveModel(client, ref);
        const history = await client.models.history(model.id);
        emit(globals(cmd).json, history, () => historyText(history));
      });
    });

  models
    .command('compare')
    .description('Compare two versions: metrics, configuration, data')
    .argument('<model>', 'model id or name')
    .argument('<a>', 'a version number')
    .argument('<b>', 'another version number')
    .action(async (ref: string, a: string, b: string, _o: unknown, cmd: Command) => {
      await withClient(globals(cmd), async (client) => {
        const model = await resolveModel(client, ref);
        const comparison = await client.models.compare(model.id, versionNumber(a), versionNumber(b));
        emit(globals(cmd).json, comparison, () => comparisonText(comparison));
      });
    });

  models
    .command('delete')
    .description('Delete a model with its draft, versions and artifacts')
    .argument('<model>', 'model id or name')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      await withClient(globals(cmd), async (client) => {
        const model = await resolveModel(client, ref);
        await client.models.delete(model.id);
        emit(globals(cmd).json, { deleted: model.id }, () => `Deleted model "${model.name}" (${model.id}).`);
      });
    });

  program
    .command('quick-test')
    .description('Predict one input with a trained version (changes nothing)')
    .argument('<model>', 'model id or name')
    .requiredOption('--input <json>', 'the input as a JSON object, e.g. \'{"age": 42, "sex": "female"}\'')
    .option('--version <slot>', 'published | last (default: published if there is one)')
    .action(async (ref: string, o: { input: string; version?: string }, cmd: Command) => {
      let input: unknown;
      try {
        input = JSON.parse(o.input);
      } catch {
        throw new Error('--input must be a JSON object, e.g. \'{"age": 42}\'.');
      }
      if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new Error('--input must be a JSON object.');
      await withClient(globals(cmd), async (client) => {
        const model = await resolveModel(client, ref);
        const result = await client.models.quickTest(model.id, { version: slotOf(o.version), input: input as Record<string, unknown> });
        emit(globals(cmd).json, result, () => quickTestText(result));
      });
    });

  program
    .command('predict')
    .description("Predict a CSV file's rows with the published version; writes CSV to stdout")
    .argument('<model>', 'model id or name')
    .argument('<file>', 'CSV file with a header row')
    .option('--no-explain', 'leave the explanation column out (predicts much faster)')
    .action(async (ref: string, file: string, o: { explain: boolean }, cmd: Command) => {
      await withClient(globals(cmd), async (client) => {
        const model = await resolveModel(client, ref);
        if (!existsSync(file)) throw new Error(`There is no file "${file}".`);
        const size = statSync(file).size;
        const bar = progressBar('Predicting');
        const n = await predictCsv(client, model.id, file, process.stdout, {
          explain: o.explain,
          onBatch: (rows, bytes) => bar.update(size ? bytes / size : 1, `${rows} rows`),
        });
        bar.done(`Predicted ${n} rows with v${model.published?.version ?? '?'} of "${model.name}".`);
      });
    });
}
