// The `lathe` command end to end as child processes: on a local data folder and against a server (--url).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATHE_BIN, REPO, startServerProcess, type ServerProcess } from '../api/server-process.js';

const DATASETS = join(REPO, '..', 'shared', 'datasets');
const TITANIC = join(DATASETS, 'titanic.csv');
const PENGUINS = join(DATASETS, 'penguins.csv');
const ADULT = join(DATASETS, 'adult.csv');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `lathe <args>` and collects its output; stdout can go to a file instead (`> out.csv`). */
function lathe(args: string[], opts: { stdoutFile?: string; onStderr?: (text: string) => void } = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LATHE_BIN, ...args], {
      cwd: REPO,
      env: { ...process.env, LATHE_URL: '', LATHE_DATA_DIR: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      opts.onStderr?.(stderr);
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (opts.stdoutFile) writeFileSync(opts.stdoutFile, stdout);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs a command that must succeed and returns its output. */
async function ok(args: string[], opts: { stdoutFile?: string } = {}): Promise<Result> {
  const r = await lathe(args, opts);
  if (r.code !== 0) throw new Error(`lathe ${args.join(' ')} exited ${r.code}\n${r.stderr}\n${r.stdout}`);
  return r;
}

const tmp = mkdtempSync(join(tmpdir(), 'lathe-models-cli-'));

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** 40 titanic rows without the outcome: the file a user would predict. */
function inputFile(): { path: string; rows: number; columns: string[] } {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(TITANIC, 'utf8'), { header: true, skipEmptyLines: true });
  const columns = parsed.meta.fields!.filter((c) => c !== 'survived' && c !== 'split');
  const rows = parsed.data.slice(0, 40).map((r) => columns.map((c) => r[c]));
  const path = join(tmp, 'passengers.csv');
  writeFileSync(path, Papa.unparse({ fields: columns, data: rows }));
  return { path, rows: rows.length, columns };
}

/** The whole journey, with `where` = ['--data-dir', dir] (local) or ['--url', url] (server). */
async function journey(where: string[]) {
  const imported = JSON.parse((await ok([...where, '--json', 'tables', 'import', TITANIC, '--name', 'titanic'])).stdout) as { id: string };
  expect(imported.id).toBeTruthy();

  const created = await ok([
    ...where,
    'models',
    'create',
    'Titanic survival',
    '--type',
    'prediction',
    '--table',
    imported.id,
    '--target',
    'survived',
    '--set',
    'splitColumn=split',
  ]);
  expect(created.stdout).toContain('Created model');
  expect(created.stdout).toContain('ready to train');

  const trained = await ok([...where, 'models', 'train', 'Titanic survival']);
  expect(trained.stdout).toContain('Trained v1');
  // Not a terminal: the bar is drawn as plain lines, at most one per tenth, ending at 100%.
  expect(trained.stderr).toMatch(/Training \d+%/);
  expect(trained.stderr).toContain('Training 100%');

  const shown = await ok([...where, 'models', 'show', 'Titanic survival']);
  expect(shown.stdout).toMatch(/Last trained:\s+v1/);
  expect(shown.stdout).toMatch(/Published:\s+—/);
  expect(shown.stdout).toMatch(/Can do now:.*\bpublish\b.*\bquick-test\b/);

  const tested = await ok([
    ...where,
    'quick-test',
    'Titanic survival',
    '--version',
    'last',
    '--input',
    JSON.stringify({ pclass: 1, sex: 'female', age: 30, fare: 80, embarked: 'C' }),
  ]);
  expect(tested.stdout).toMatch(/Prediction:\s+[01]/);
  expect(tested.stdout).toMatch(/Probability:\s+\d{1,3}\.\d%/);

  const published = await ok([...where, 'models', 'publish', 'Titanic survival']);
  expect(published.stdout).toContain('Published v1');

  const input = inputFile();
  const outFile = join(tmp, `out-${where[0].slice(2)}.csv`);
  const predicted = await ok([...where, 'predict', 'Titanic survival', input.path], { stdoutFile: outFile });
  expect(predicted.stderr).toContain(`Predicted ${input.rows} rows`);
  const out = Papa.parse<Record<string, string>>(readFileSync(outFile, 'utf8'), { header: true, skipEmptyLines: true });
  expect(out.errors).toEqual([]);
  expect(out.meta.fields).toEqual([...input.columns, 'prediction', 'probability', 'explanation']);
  expect(out.data).toHaveLength(input.rows);
  for (const row of out.data) {
    expect(['0', '1']).toContain(row.prediction);
    const p = Number(row.probability);
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThanOrEqual(1);
    expect(row.explanation.length).toBeGreaterThan(0);
  }
  expect(out.data[1].name).toContain('Cumings');

  const history = await ok([...where, 'models', 'history', 'Titanic survival']);
  expect(history.stdout).toMatch(/v1\s+train\s+published/);
  expect(history.stdout).toContain('published');

  const json = JSON.parse((await ok([...where, '--json', 'models', 'show', 'Titanic survival'])).stdout);
  expect(json.published.version).toBe(1);
  expect(json.lastTrained).toBeNull();
  const list = JSON.parse((await ok([...where, 'models', 'list', '--json'])).stdout);
  expect(list.models.map((m: { name: string }) => m.name)).toEqual(['Titanic survival']);

  const refused = await lathe([...where, 'models', 'publish', 'Titanic survival']);
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toMatch(/^Error \(INVALID_TRANSITION\): /);
  expect(refused.stdout).toBe('');
  return { modelId: json.id as string };
}

describe('the lathe command on a local data folder', () => {
  it('imports a table, creates, trains, tests, publishes, predicts a CSV and shows history', { timeout: 240_000 }, async () => {
    const dir = join(tmp, 'local');
    await journey(['--data-dir', dir]);
  });

  it('edits a draft with --set and shows its validation messages', { timeout: 120_000 }, async () => {
    const dir = join(tmp, 'drafts');
    const created = JSON.parse((await ok(['--data-dir', dir, '--json', 'models', 'create', 'Half done', '--type', 'prediction'])).stdout);
    expect(created.draft.validation.errors.length).toBeGreaterThan(0);
    const edited = await ok(['--data-dir', dir, 'models', 'draft', created.id, '--set', 'tableId=nope', '--set', 'target=y']);
    expect(edited.stdout).toContain('Draft saved.');
    expect(edited.stdout).toContain('configuration: tableId=nope  target=y');
    expect(edited.stdout).toMatch(/error: /);
    const train = await lathe(['--data-dir', dir, 'models', 'train', 'Half done']);
    expect(train.code).toBe(1);
    expect(train.stderr).toMatch(/^Error \(INVALID_CONFIGURATION\)/);
    const missing = await lathe(['--data-dir', dir, 'models', 'show', 'No such model']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Error (NOT_FOUND)');
  });

  it('creates a text classification model in one command and quick-tests a text', { timeout: 120_000 }, async () => {
    const where = ['--data-dir', join(tmp, 'text')];
    const sms = readFileSync(join(DATASETS, 'sms_spam.csv'), 'utf8').split('\n').slice(0, 801).join('\n');
    const file = join(tmp, 'sms.csv');
    writeFileSync(file, sms);
    const table = JSON.parse((await ok([...where, '--json', 'tables', 'import', file, '--name', 'sms'])).stdout) as { id: string };
    // The table by its name: the model's configuration gets its id.
    const created = await ok([...where, 'models', 'create', 'Spam', '--type', 'text-classification', '--table', 'sms', '--text', 'text', '--tags', 'label']);
    expect(created.stdout).toContain(`tableId=${table.id}  textColumn=text  tagColumn=label`);
    expect(created.stdout).toContain('ready to train');
    expect((await ok([...where, 'models', 'train', 'Spam'])).stdout).toMatch(/Trained v1[\s\S]*score \d+\/100/);
    const tested = await ok([...where, 'quick-test', 'Spam', '--input', JSON.stringify({ text: 'WIN a FREE prize now! Call to claim' })]);
    expect(tested.stdout).toMatch(/Prediction:\s+spam/);
    expect(tested.stdout).toMatch(/Confidence:\s+\d+\.\d%/);
    expect(tested.stdout).toMatch(/Tags ≥ 50%:\s+spam/);
    const wrong = await lathe([...where, 'models', 'create', 'Mixed', '--type', 'text-classification', '--target', 'label']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('--target is for prediction models');
  });
});

describe('the lathe command against a running server (--url)', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess(join(tmp, 'server'));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('walks the lifecycle over HTTP: train, quick test, publish, predict, new version, rollback, unpublish, retrain, rename, delete', { timeout: 240_000 }, async () => {
    const url = ['--url', server.url];
    const table = JSON.parse((await ok([...url, '--json', 'tables', 'import', PENGUINS, '--name', 'penguins'])).stdout) as { id: string };
    const model = JSON.parse(
      (await ok([...url, '--json', 'models', 'create', 'Penguins', '--type', 'prediction', '--table', table.id, '--target', 'species', '--set', 'splitColumn=split'])).stdout,
    ) as { id: string };
    const trained = await ok([...url, 'models', 'train', 'Penguins']);
    expect(trained.stdout).toContain('Trained v1');
    expect(trained.stderr).toContain('Training 100%');
    const tested = await ok([...url, 'quick-test', 'Penguins', '--input', JSON.stringify({ island: 'Biscoe', bill_length_mm: 47, flipper_length_mm: 220 })]);
    expect(tested.stdout).toMatch(/Prediction:\s+(Adelie|Gentoo|Chinstrap)/);
    expect(tested.stdout).toMatch(/All outcomes: .*Adelie/);
    await ok([...url, 'models', 'publish', 'Penguins']);
    const outFile = join(tmp, 'penguins-out.csv');
    await ok([...url, 'predict', 'Penguins', PENGUINS], { stdoutFile: outFile });
    const out = Papa.parse<Record<string, string>>(readFileSync(outFile, 'utf8'), { header: true, skipEmptyLines: true });
    expect(out.data).toHaveLength(344);
    // The published version should get most of the penguins it was trained and tested on right.
    expect(out.data.filter((r) => r.prediction === r.species).length).toBeGreaterThan(300);
    // --no-explain: the same predictions, and no explanation column.
    const bareFile = join(tmp, 'penguins-bare.csv');
    await ok([...url, 'predict', 'Penguins', PENGUINS, '--no-explain'], { stdoutFile: bareFile });
    const bare = Papa.parse<Record<string, string>>(readFileSync(bareFile, 'utf8'), { header: true, skipEmptyLines: true });
    expect(out.meta.fields).toContain('explanation');
    expect(bare.meta.fields).toEqual(out.meta.fields!.filter((f) => f !== 'explanation'));
    expect(bare.data).toEqual(out.data.map(({ explanation: _, ...rest }) => rest));

    expect((await ok([...url, 'models', 'new-version', 'Penguins', '--from', 'published'])).stdout).toMatch(/New draft created[\s\S]*based on v1/);
    const edited = await ok([...url, 'models', 'draft', 'Penguins', '--set', 'features=["bill_length_mm","flipper_length_mm"]']);
    expect(edited.stdout).toContain('features=["bill_length_mm","flipper_length_mm"]');
    expect((await ok([...url, 'models', 'train', 'Penguins'])).stdout).toContain('Trained v2');
    const published = await ok([...url, 'models', 'publish', 'Penguins']);
    expect(published.stdout).toContain('Published v2');
    expect(published.stdout).toMatch(/Roll back to:\s+v1/);

    expect((await ok([...url, 'models', 'rollback', 'Penguins', 'v1'])).stdout).toMatch(/Rolled back: v1 is published[\s\S]*Published:\s+v1/);
    // With no last trained version, the unpublished one becomes the last trained again.
    expect((await ok([...url, 'models', 'unpublish', 'Penguins'])).stdout).toMatch(/Unpublished\.[\s\S]*Published:\s+—[\s\S]*Last trained:\s+v1/);
    expect((await ok([...url, 'models', 'retrain', 'Penguins', '--from', 'last'])).stdout).toMatch(/Trained v3[\s\S]*Last trained:\s+v3/);

    expect((await ok([...url, 'models', 'rename', 'Penguins', 'Penguin species'])).stdout).toMatch(/^Saved\.\n\nPenguin species /);
    const history = JSON.parse((await ok([...url, '--json', 'models', 'history', 'Penguin species'])).stdout) as { versions: { version: number }[] };
    expect(history.versions.map((v) => v.version).sort()).toEqual([1, 2, 3]);
    expect((await ok([...url, 'models', 'delete', 'Penguin species'])).stdout).toContain(`Deleted model "Penguin species" (${model.id})`);
    const gone = await lathe([...url, 'models', 'show', model.id]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('Error (NOT_FOUND)');
  });

  it('returns a run at once with --no-wait, follows it from another process with models watch, and cancels it', { timeout: 240_000 }, async () => {
    const url = ['--url', server.url];
    const table = JSON.parse((await ok([...url, '--json', 'tables', 'import', ADULT, '--name', 'adult'])).stdout) as { id: string };
    await ok([...url, 'models', 'create', 'Income', '--type', 'prediction', '--table', table.id, '--target', 'income']);
    const started = JSON.parse((await ok([...url, '--json', 'models', 'train', 'Income', '--no-wait'])).stdout);
    expect(['queued', 'running']).toContain(started.status);
    // Another process follows the training over the event stream and reports how it ended.
    let following: () => void = () => {};
    const followed = new Promise<void>((resolve) => (following = resolve));
    const watching = lathe([...url, 'models', 'watch', 'Income'], { onStderr: (text) => /Training \d+%/.test(text) && following() });
    await Promise.race([followed, watching]);
    const cancelled = JSON.parse((await ok([...url, '--json', 'models', 'cancel', 'Income'])).stdout);
    expect(cancelled.id).toBe(started.id);
    const run = await (await fetch(`${server.url}/api/runs/${started.id}`)).json();
    expect(run.status).toBe('cancelled');
    const watched = await watching;
    expect(watched.code).toBe(1);
    expect(watched.stderr).toMatch(/^Training \d+%/m);
    expect(watched.stderr).toContain('Error (CANCELLED): The training was cancelled.');
    const shown = await ok([...url, 'models', 'show', 'Income']);
    expect(shown.stdout).toMatch(/Last run:\s+cancelled/);
    expect(shown.stdout).toContain('ready to train');
  });
});
