// The engine's check of a draft against its table, cached by configuration and table revision.
import { isLatheError } from '../../domain/errors.js';
import type { Configuration, ModelType } from '../../domain/model-state.js';
import type { EngineRegistry } from '../../engines/registry.js';
import type { CheckReport, Engine, TableShape } from '../../engines/seam.js';
import type { TableData } from '../../tables/table-data.js';
import type { TableInfo } from '../tables.js';
import { Lru } from './lru.js';
import type { TableSource } from './service-options.js';

/** Drafts on tables up to this many rows are checked against the rows; bigger ones by shape only (training checks them fully). */
export const CHECK_DATA_MAX_ROWS = 200_000;
const CHECK_CACHE = 200;
const DATA_CACHE = 2;

export interface DraftCheck {
  report: CheckReport;
  /** The table checked against, when it exists. */
  table?: TableInfo;
}

export interface DraftChecker {
  /** The engine's check of a configuration against its table; a missing table is a message, not a crash. */
  validate(type: ModelType, configuration: Configuration): Promise<DraftCheck>;
  /** A table revision the checks read lately, if still cached. */
  cachedData(tableId: string, revision: number): TableData | undefined;
}

/** Engines promise not to throw from check; if one does anyway, the draft shows it instead of failing to load. */
function safeCheck(engine: Engine, configuration: Configuration, shape: TableShape, data?: TableData): CheckReport {
  try {
    return engine.check(configuration, shape, data);
  } catch (e) {
    return { errors: [{ code: 'CHECK_FAILED', message: `The configuration could not be checked: ${e instanceof Error ? e.message : String(e)}` }], warnings: [] };
  }
}

export function createDraftChecker(registry: EngineRegistry, tables: TableSource): DraftChecker {
  const checks = new Lru<string, CheckReport>(CHECK_CACHE);
  const dataCache = new Lru<string, TableData>(DATA_CACHE);

  async function readDataCached(tableId: string, revision: number): Promise<TableData> {
    const key = `${tableId}:${revision}`;
    const hit = dataCache.get(key);
    if (hit) return hit;
    const data = await tables.readData(tableId, revision);
    dataCache.set(key, data);
    return data;
  }

  async function validate(type: ModelType, configuration: Configuration): Promise<DraftCheck> {
    let engine: Engine;
    try {
      engine = registry.get(type);
    } catch (e) {
      if (!isLatheError(e)) throw e;
      return { report: { errors: [{ code: 'NO_ENGINE', message: e.message }], warnings: [] } };
    }
    const tableId = configuration.tableId;
    if (typeof tableId !== 'string' || tableId === '') {
      return { report: safeCheck(engine, configuration, { tableId: '', name: '', rowCount: 0, columns: [] }) };
    }
    let table: TableInfo;
    try {
      table = await tables.get(tableId);
    } catch (e) {
      if (isLatheError(e) && e.code === 'NOT_FOUND') {
        return {
          report: {
            errors: [{ code: 'TABLE_NOT_FOUND', message: `Table ${tableId} does not exist (it may have been deleted). Choose another table.`, details: { tableId } }],
            warnings: [],
          },
        };
      }
      throw e;
    }
    const key = `${type}\u0000${tableId}\u0000${table.revision}\u0000${JSON.stringify(configuration)}`;
    const cached = checks.get(key);
    if (cached) return { report: cached, table };
    const shape: TableShape = { tableId, name: table.name, rowCount: table.rowCount, columns: table.columns.map((c) => ({ name: c.name, type: c.type })) };
    const data = table.rowCount <= CHECK_DATA_MAX_ROWS ? await readDataCached(tableId, table.revision) : undefined;
    const report = safeCheck(engine, configuration, shape, data);
    checks.set(key, report);
    return { report, table };
  }

  return { validate, cachedData: (tableId, revision) => dataCache.get(`${tableId}:${revision}`) };
}
