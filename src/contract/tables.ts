// API schemas of /api/tables: the server validates with them, the client and the web app take their types from them.
import { z } from 'zod';

export const ColumnType = z
  .enum(['number', 'category', 'boolean', 'text', 'date'])
  .describe('number, category, boolean (true/false, yes/no), text (free-form), date (ISO YYYY-MM-DD, optional time)')
  .meta({ id: 'ColumnType' });

export const TableColumn = z
  .object({
    name: z.string(),
    type: ColumnType.describe('The type in force (inferred unless the user chose another).'),
    inferredType: ColumnType.describe('The type Lathe inferred from the values.'),
  })
  .meta({ id: 'TableColumn' });

export const Table = z
  .object({
    id: z.string(),
    name: z.string().describe('1-100 characters, unique.'),
    revision: z.number().int().describe('Current revision; every change to rows or column types makes a new one.'),
    digest: z.string().describe('sha256 of the revision content, chained from the previous revision.'),
    rowCount: z.number().int(),
    columns: z.array(TableColumn),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Table' });

export const TableList = z.object({ tables: z.array(Table) }).meta({ id: 'TableList' });

export const TableRevision = z
  .object({
    revision: z.number().int(),
    kind: z.enum(['import', 'append', 'replace', 'retype']),
    rowCount: z.number().int(),
    rowsAdded: z.number().int(),
    digest: z.string(),
    columns: z.array(TableColumn),
    createdAt: z.string(),
  })
  .meta({ id: 'TableRevision' });

export const TableRevisionList = z.object({ revisions: z.array(TableRevision).describe('Newest first.') }).meta({ id: 'TableRevisionList' });

export const CellValue = z.union([z.string(), z.number(), z.boolean(), z.null()]).meta({ id: 'CellValue' });

export const RowsPage = z
  .object({
    tableId: z.string(),
    revision: z.number().int(),
    offset: z.number().int(),
    limit: z.number().int(),
    total: z.number().int().describe('Rows in the revision.'),
    columns: z.array(TableColumn),
    rows: z.array(z.array(CellValue)).describe('Typed values in column order: numbers, booleans, ISO date strings, strings; null = missing.'),
  })
  .meta({ id: 'RowsPage' });

export const MAX_PAGE_ROWS = 1000;

export const RowsQuery = z.object({
  offset: z.coerce.number().int().min(0).default(0).describe('First row (0-based).'),
  limit: z.coerce.number().int().min(0).max(MAX_PAGE_ROWS).default(100).describe(`Rows to return, at most ${MAX_PAGE_ROWS}.`),
  revision: z.coerce.number().int().min(1).optional().describe('Revision to read (default: current).'),
});

/** Column types chosen by the user, as a JSON object in a query parameter of CSV uploads. */
export const ColumnTypes = z.record(z.string(), ColumnType).meta({ id: 'ColumnTypes' });

export const ImportQuery = z.object({
  name: z.string().min(1).max(100).optional().describe('Table name (unique; a clash is a 409 CONFLICT). Default: the file name, made unique with " (2)".'),
  fileName: z.string().max(300).optional().describe('Original file name, used for the default table name.'),
  types: z.string().optional().describe('JSON object of column name to type, overriding inference, e.g. {"zip":"category"}.'),
});

export const ReplaceQuery = ImportQuery.pick({ types: true });

export const PreviewQuery = z.object({
  rows: z.coerce.number().int().min(1).max(1000).default(20).describe('Rows to return.'),
});

export const TablePreview = z
  .object({
    delimiter: z.string(),
    columns: z.array(z.object({ name: z.string(), type: ColumnType })).describe('Types inferred from the first 1,000 rows.'),
    rows: z.array(z.array(z.string())).describe('The first rows as raw cell strings.'),
  })
  .meta({ id: 'TablePreview' });

export const AppendRowsBody = z
  .array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])))
  .describe('Rows as objects keyed by column name; a missing key or null is a missing value.')
  .meta({ id: 'AppendRows' });

export const UpdateTableBody = z
  .object({
    name: z.string().min(1).max(100).optional(),
    columnTypes: ColumnTypes.optional().describe('Changing a type makes a new revision with the same rows; every value must fit the new type.'),
  })
  .meta({ id: 'UpdateTable' });

export const TableParams = z.object({ id: z.string().min(1).describe('Table id') });

export type ColumnType = z.infer<typeof ColumnType>;
export type TableColumn = z.infer<typeof TableColumn>;
export type Table = z.infer<typeof Table>;
export type TableList = z.infer<typeof TableList>;
export type TableRevision = z.infer<typeof TableRevision>;
export type TableRevisionList = z.infer<typeof TableRevisionList>;
export type CellValue = z.infer<typeof CellValue>;
export type RowsPage = z.infer<typeof RowsPage>;
export type TablePreview = z.infer<typeof TablePreview>;
export type AppendRowsBody = z.infer<typeof AppendRowsBody>;
export type UpdateTableBody = z.infer<typeof UpdateTableBody>;
export type ColumnTypes = z.infer<typeof ColumnTypes>;
