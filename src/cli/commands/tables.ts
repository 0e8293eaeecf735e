// `lathe tables …`: import, append, replace, list, show, rows, revisions, retype/rename, delete.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { ApiError, type LatheClient } from '../../client/index.js';
import type { ColumnTypes, RowsPage, Table } from '../../contract/tables.js';
import { withClient, type GlobalFlags } from '../context.js';
import { emit, progressBar, table } from '../output.js';

const globals = (cmd: Command): GlobalFlags => cmd.optsWithGlobals() as GlobalFlags;
const collect = (value: string, previous: string[] = []) => [...previous, value];

/** A table by id, or by its exact name (case-insensitive) when that names one table. */
export async function resolveTable(client: LatheClient, ref: string): Promise<Table> {
  try {
    return await client.tables.get(ref);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404) throw err;
    const named = (await client.tables.list()).filter((t) => t.name.toLowerCase() === ref.toLowerCase());
    if (named.length === 1) return named[0];
    if (named.length > 1) throw new Error(`${named.length} tables are named "${ref}": use the id (${named.map((t) => t.id).join(', ')}).`);
    throw new ApiError(404, 'NOT_FOUND', `There is no table with the id or name "${ref}". \`lathe tables list\` shows them.`);
  }
}

/** `--type col=type` flags as a ColumnTypes object. */
function parseTypeFlags(flags: string[] | undefined): ColumnTypes | undefined {
  if (!flags || flags.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const f of flags) {
    const i = f.lastIndexOf('=');
    if (i <= 0) throw new Error(`--type "${f}" must look like COLUMN=TYPE, e.g. --type zip=category.`);
    out[f.slice(0, i)] = f.slice(i + 1);
  }
  return out as ColumnTypes;
}

/** Streams a file from disk as a web stream, reporting bytes read (the progress of an upload). */
function fileStream(path: string, onBytes: (bytes: number) => void): ReadableStream<Uint8Array> {
  const it = createReadStream(path, { highWaterMark: 1 << 20 })[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let bytes = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await it.next();
      if (next.done) {
        controller.close();
        return;
      }
      bytes += next.value.length;
      onBytes(bytes);
      controller.enqueue(new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.byteLength));
    },
    async cancel() {
      await it.return?.();
    },
  });
}

/** A file upload with a progress bar of bytes read / file size on stderr. */
function withProgress(path: string, label: string, json: boolean | undefined) {
  const size = statSync(path).size;
  const bar = json ? null : progressBar(label);
  const stream = fileStream(path, (bytes) => bar?.update(size > 0 ? bytes / size : 1, `${formatSize(bytes)} / ${formatSize(size)}`));
  return { stream, done: () => bar?.done() };
}

function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${bytes} bytes`;
}

const rowsWord = (n: number) => `${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'}`;

function columnsText(t: Table): string {
  return table(
    ['column', 'type', 'inferred'],
    t.columns.map((c) => [c.name, c.type, c.type === c.inferredType ? '' : c.inferredType]),
  );
}

export function tableText(t: Table): string {
  return [
    `${t.name}  (${t.id})`,
    `revision ${t.revision}, ${rowsWord(t.rowCount)}, ${t.columns.length} columns, updated ${t.updatedAt}`,
    `digest ${t.digest}`,
    '',
    columnsText(t),
  ].join('\n');
}

function rowsText(page: RowsPage): string {
  const shown = page.rows.length;
  const head = table(
    ['#', ...page.columns.map((c) => c.name)],
    page.rows.map((r, i) => [page.offset + i + 1, ...r.map((v) => (v === null ? '' : String(v)))]),
  );
  return `${head}\n(rows ${shown ? page.offset + 1 : 0}-${page.offset + shown} of ${page.total}, revision ${page.revision})`;
}

export function registerTablesCommands(program: Command): void {
  const tables = program.command('tables').description('Import, append and inspect tables (a <table> is its id or its exact name)');

  tables
    .command('import <file>')
    .description('Create a table from a CSV/TSV file, or "-" for standard input (delimiter and column types are detected)')
    .option('--name <name>', 'table name (default: the file name, made unique)')
    .option('--type <column=type>', 'set a column type instead of the inferred one (repeatable)', collect)
    .action(async (file: string, opts: { name?: string; type?: string[] }, cmd: Command) => {
      const flags = globals(cmd);
      await withClient(flags, async (client) => {
        // "-" reads the file from standard input (no size known, so no progress bar).
        const upload = file === '-' ? { stream: process.stdin, done: () => {} } : withProgress(file, 'Importing', flags.json);
        const started = Date.now();
        try {
          const t = await client.tables.upload(upload.stream, {
            name: opts.name,
            fileName: file === '-' ? undefined : basename(file),
            types: parseTypeFlags(opts.type),
          });
          upload.done();
          const secs = (Date.now() - started) / 1000;
          emit(flags.json, t, () => `Imported "${t.name}" as ${t.id}: ${rowsWord(t.rowCount)}, ${t.columns.length} columns in ${secs.toFixed(1)} s.\n\n${columnsText(t)}`);
        } catch (e) {
          upload.done();
          throw e;
        }
      });
    });

  tables
    .command('append <table> <file>')
    .description('Append rows from a CSV file (header names the columns) or a .json array of objects')
    .action(async (id: string, file: string, _opts: unknown, cmd: Command) => {
      const flags = globals(cmd);
      await withClient(flags, async (client) => {
        const before = await resolveTable(client, id);
        let t: Table;
        if (/\.json$/i.test(file)) {
          t = await client.tables.appendRows(before.id, JSON.parse(readFileSync(file, 'utf8')));
        } else {
          const upload = withProgress(file, 'Appending', flags.json);
          try {
            t = await client.tables.appendCsv(before.id, upload.stream);
          } finally {
            upload.done();
          }
        }
        emit(flags.json, t, () => `Appended ${rowsWord(t.rowCount - before.rowCount)} to "${t.name}": now ${rowsWord(t.rowCount)}, revision ${t.revision}.`);
      });
    });

  tables
    .command('replace <table> <file>')
    .description('Replace all rows with a new CSV file (a new revision; earlier ones stay readable)')
    .option('--type <column=type>', 'set a column type instead of the inferred one (repeatable)', collect)
    .action(async (id: string, file: string, opts: { type?: string[] }, cmd: Command) => {
      const flags = globals(cmd);
      await withClient(flags, async (client) => {
        const upload = withProgress(file, 'Replacing', flags.json);
        let t: Table;
        try {
          t = await client.tables.replace((await resolveTable(client, id)).id, upload.stream, { types: parseTypeFlags(opts.type) });
        } finally {
          upload.done();
        }
        emit(flags.json, t, () => `Replaced the rows of "${t.name}": ${rowsWord(t.rowCount)}, revision ${t.revision}.`);
      });
    });

  tables
    .command('list')
    .description('List tables')
    .action(async (_opts: unknown, cmd: Command) => {
      const flags = globals(cmd);
      await withClient(flags, async (client) => {
        const list = await client.tables.list();
        emit(flags.json, list, () =>
          list.length === 0
            ? 'No tables yet. Import one with `lathe tables import FILE`.'
            : table(
                ['id', 'name', 'rows', 'columns', 'revision', 'updated'],
                list.map((t) => [t.id, t.name, t.rowCount, t.columns.length, t.revision, t.updatedAt]),
              ),
        );
      });
    });

  tables
    .command('show <table>')
    .description('Show a table: columns with types, row count, revision, digest')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const flags = globals(cmd);
      await withClient(flags, async (client) => {
        const t = await resolveTable(client, id);
        emit(flags.json, t, () => tableText(t));
      });
    });

  tables
    .command('rows <table>')
    .description('Print a page of rows')
    .option('--offset <n>', 'first row, 0-based', '0')
    .option('--limit <n>', 'rows to print (at most 1000)', '20')
    .option('--revision <n>', 'revision to read (default: current)')
    .action(async (id: string, opts: { offset: string; limit: string; revision?: string }, cmd: Command) => {
      const flags = globals(cmd);
      await withClient(flags, async (client) => {
        const page = await client.tables.rows((await resolveTable(client, id)).id, {
          offset: Number(opts.offset),
          limit: Number(opts.limit),
          revision: opts.revision === undefined ? undefined : Number(opts.revision),
        });
        emit(flags.json, page, () => rowsText(page));
      });
    });

  tables
    .command('revisions <table>')
    .description('List the revisions of a table, newest first')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const flags = globals(cmd);
      await withClient(flags, async (client) => {
        const revs = await client.tables.revisions((await resolveTable(client, id)).id);
        emit(flags.json, revs, () =>
          table(
            ['revision', 'kind', 'rows', 'added', 'created', 'digest'],
            revs.map((r) => [r.revision, r.kind, r.rowCount, r.rowsAdded, r.createdAt, r.digest.slice(0, 16)]),
          ),
        );
      });
    });

  tables
    .command('update <table>')
    .description('Rename a table or set column types (a type change makes a new revision)')
    .option('--name <name>', 'new name')
    .option('--type <column=type>', 'set a column type (repeatable)', collect)
    .action(async (id: string, opts: { name?: string; type?: string[] }, cmd: Command) => {
      const flags = globals(cmd);
      await withClient(flags, async (client) => {
        const t = await client.tables.update((await resolveTable(client, id)).id, { name: opts.name, columnTypes: parseTypeFlags(opts.type) });
        emit(flags.json, t, () => tableText(t));
      });
    });

  tables
    .command('delete <table>')
    .description('Delete a table and all its revisions')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const flags = globals(cmd);
      await withClient(flags, async (client) => {
        const t = await resolveTable(client, id);
        await client.tables.delete(t.id);
        emit(flags.json, { deleted: t.id }, () => `Deleted table "${t.name}" (${t.id}).`);
      });
    });
}
