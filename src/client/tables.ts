// Client calls of /api/tables, typed from the contract.
import type { AppendRowsBody, ColumnTypes, RowsPage, Table, TableList, TablePreview, TableRevisionList, UpdateTableBody } from '../contract/tables.js';
import type { Http } from './http.js';

/** A file to upload: its text, a Blob/File, a web byte stream, or any async iterable of bytes (e.g. a Node stream). */
export type Upload = string | Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/** Turns an async iterable (a Node Readable, a generator) into a web stream fetch can send; other bodies pass through. */
function body(file: Upload): BodyInit {
  if (typeof file === 'string' || file instanceof Blob || file instanceof ReadableStream) return file;
  const it = file[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await it.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await it.return?.();
    },
  });
}

export interface UploadOptions {
  /** Table name; taken names are refused (409). Default: from fileName, made unique. */
  name?: string;
  /** Original file name, for the default table name. */
  fileName?: string;
  /** Column types overriding inference. */
  types?: ColumnTypes;
}

const csvHeaders = { 'content-type': 'text/csv; charset=utf-8' };
const types = (t: ColumnTypes | undefined) => (t && Object.keys(t).length > 0 ? JSON.stringify(t) : undefined);

export function tablesClient(http: Http) {
  const path = (id: string, rest = '') => `/api/tables/${encodeURIComponent(id)}${rest}`;
  return {
    /** Creates a table from a CSV/TSV file (streamed). */
    async upload(file: Upload, options: UploadOptions = {}): Promise<Table> {
      const res = await http.send('POST', '/api/tables', {
        body: body(file),
        headers: csvHeaders,
        query: { name: options.name, fileName: options.fileName, types: types(options.types) },
      });
      return (await res.json()) as Table;
    },
    /** First rows and inferred types of a file, without saving it. */
    async preview(file: Upload, rows?: number): Promise<TablePreview> {
      const res = await http.send('POST', '/api/tables/preview', { body: body(file), headers: csvHeaders, query: { rows } });
      return (await res.json()) as TablePreview;
    },
    async list(): Promise<Table[]> {
      return (await http.json<TableList>('GET', '/api/tables')).tables;
    },
    get: (id: string) => http.json<Table>('GET', path(id)),
    update: (id: string, patch: UpdateTableBody) => http.json<Table>('PATCH', path(id), patch),
    async delete(id: string): Promise<void> {
      await http.send('DELETE', path(id));
    },
    rows: (id: string, query: { offset?: number; limit?: number; revision?: number } = {}) => http.json<RowsPage>('GET', path(id, '/rows'), undefined, query),
    /** Appends rows given as objects keyed by column name. */
    appendRows: (id: string, rows: AppendRowsBody) => http.json<Table>('POST', path(id, '/rows'), rows),
    /** Appends the rows of a CSV file whose header names the table's columns. */
    async appendCsv(id: string, file: Upload): Promise<Table> {
      const res = await http.send('POST', path(id, '/rows'), { body: body(file), headers: csvHeaders });
      return (await res.json()) as Table;
    },
    /** Replaces all rows with a new file (a new revision). */
    async replace(id: string, file: Upload, options: { types?: ColumnTypes } = {}): Promise<Table> {
      const res = await http.send('PUT', path(id, '/rows'), { body: body(file), headers: csvHeaders, query: { types: types(options.types) } });
      return (await res.json()) as Table;
    },
    async revisions(id: string) {
      return (await http.json<TableRevisionList>('GET', path(id, '/revisions'))).revisions;
    },
  };
}

export type TablesClient = ReturnType<typeof tablesClient>;
