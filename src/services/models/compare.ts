// Comparing two versions of a model: configuration diff, rows added or removed between the table
// revisions they read, and metric deltas.
import type { z } from 'zod';
import type { Comparison } from '../../contract/models.js';
import { isLatheError } from '../../domain/errors.js';
import type { Configuration } from '../../domain/model-state.js';
import type { ModelsService } from '../models-service.js';
import { isObject } from './input-checks.js';
import type { TableSource } from './service-options.js';

/** Leaf values by path ("a.b", arrays compared whole), for the configuration diff. */
function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out.set(prefix, value);
}

function configurationDiff(a: Configuration, b: Configuration): { path: string; a: unknown; b: unknown }[] {
  const fa = new Map<string, unknown>();
  const fb = new Map<string, unknown>();
  flatten(a, '', fa);
  flatten(b, '', fb);
  const paths = [...new Set([...fa.keys(), ...fb.keys()])].sort();
  return paths
    .filter((p) => JSON.stringify(fa.get(p)) !== JSON.stringify(fb.get(p)))
    .map((p) => ({ path: p, a: fa.has(p) ? fa.get(p) : null, b: fb.has(p) ? fb.get(p) : null }));
}

export async function compareVersions(
  service: Pick<ModelsService, 'version'>,
  tables: TableSource,
  modelId: string,
  a: number,
  b: number,
): Promise<z.infer<typeof Comparison>> {
  const [va, vb] = [await service.version(modelId, a), await service.version(modelId, b)];
  const sameTable = va.table.id === vb.table.id;
  const data: z.infer<typeof Comparison>['data'] = { sameTable, revisions: [va.table.revision, vb.table.revision], rowsAdded: null, rowsRemoved: null };
  if (!sameTable) {
    data.note = `The versions were trained on different tables ("${va.table.name}" and "${vb.table.name}").`;
  } else if (va.table.revision === vb.table.revision) {
    data.rowsAdded = 0;
    data.rowsRemoved = 0;
  } else {
    const [lo, hi] = va.table.revision < vb.table.revision ? [va.table, vb.table] : [vb.table, va.table];
    let revisions: Awaited<ReturnType<TableSource['revisions']>> | null = null;
    try {
      revisions = await tables.revisions(lo.id);
    } catch (e) {
      if (!(isLatheError(e) && e.code === 'NOT_FOUND')) throw e;
    }
    if (!revisions) {
      data.note = `Table "${lo.name}" no longer exists, so the rows added or removed between revisions ${lo.revision} and ${hi.revision} are unknown.`;
    } else {
      // Appends (and type changes) only add rows at the end; a replace swaps the whole table.
      const between = revisions.filter((r) => r.revision > lo.revision && r.revision <= hi.revision);
      const extends_ = between.length > 0 && between.every((r) => r.kind === 'append' || r.kind === 'retype');
      if (extends_) {
        const grown = hi.rowCount - lo.rowCount;
        const forward = va.table.revision < vb.table.revision;
        data.rowsAdded = forward ? grown : 0;
        data.rowsRemoved = forward ? 0 : grown;
      } else {
        data.note = `The table's rows were replaced between revisions ${lo.revision} and ${hi.revision} (${lo.rowCount} rows then, ${hi.rowCount} rows after), so rows added and removed cannot be counted.`;
      }
    }
  }
  const names = [...new Set([...Object.keys(va.metrics), ...Object.keys(vb.metrics)])].sort();
  const metrics = names.map((m) => {
    const x = va.metrics[m] ?? null;
    const y = vb.metrics[m] ?? null;
    return { metric: m, a: x, b: y, delta: x !== null && y !== null ? y - x : null };
  });
  return { a: va, b: vb, configuration: configurationDiff(va.configuration, vb.configuration), data, metrics };
}
