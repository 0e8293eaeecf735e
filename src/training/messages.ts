// What the runner and a training worker send each other, and how a table crosses the thread gap.
import type { TrainResult } from '../engines/seam.js';
import type { ColumnData, TableData } from '../tables/table-data.js';

/** The worker's input: everything it needs, so it loads nothing itself. */
export interface WorkerInput {
  modelType: string;
  configuration: unknown;
  seed: number;
  threads: number;
  /** Extra engine modules (file URLs) to load before resolving `modelType`. */
  engineModules: string[];
  data: TableData;
}

export type WorkerMessage =
  | { kind: 'progress'; stage: string; fraction: number }
  | { kind: 'done'; result: TrainResult }
  | { kind: 'error'; code: string | null; message: string; details: Record<string, unknown> };

/**
 * Copies the table's typed arrays into fresh buffers and lists them for transfer: the worker gets
 * them without a second copy, and the caller's TableData (which a cache may still hold) stays intact.
 */
export function tableForTransfer(data: TableData): { data: TableData; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const columns = data.columns.map((c): ColumnData => {
    if (!(c.values instanceof Float64Array)) return c;
    const values = c.values.slice();
    transfer.push(values.buffer);
    return { name: c.name, type: c.type as 'number' | 'boolean' | 'date', values };
  });
  return { data: { ...data, columns }, transfer };
}

/** The artifact as an exactly sized, transferable buffer. */
export function artifactForTransfer(artifact: Uint8Array): { artifact: Uint8Array; transfer: ArrayBuffer[] } {
  const exact = new Uint8Array(artifact.byteLength);
  exact.set(artifact);
  return { artifact: exact, transfer: [exact.buffer] };
}
