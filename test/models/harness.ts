// Test harness: a real Lathe (SQLite file in a temp folder, real tables service, real worker
// threads) whose `prediction` type is the small stump learner, plus CSV helpers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLathe, type Lathe } from '../../src/services/lathe.js';

export const STUMP_ENGINE = fileURLToPath(new URL('../../src/training/test-support/stump-engine.ts', import.meta.url));

export interface Harness {
  dir: string;
  lathe: Lathe;
  reopen(options?: { maxConcurrentRuns?: number }): Promise<Lathe>;
  cleanup(): Promise<void>;
}

export async function openHarness(options: { maxConcurrentRuns?: number; retainedVersions?: number; stump?: boolean } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-models-'));
  const open = (o: { maxConcurrentRuns?: number } = {}) =>
    openLathe(
      { dataDir: dir, maxConcurrentRuns: o.maxConcurrentRuns ?? options.maxConcurrentRuns ?? 2, retainedVersions: options.retainedVersions ?? 2 },
      { engineModules: options.stump === false ? [] : [STUMP_ENGINE] },
    );
  const h: Harness = {
    dir,
    lathe: await open(),
    async reopen(o) {
      await h.lathe.close();
      h.lathe = await open(o);
      return h.lathe;
    },
    async cleanup() {
      await h.lathe.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

async function* once(text: string): AsyncIterable<string> {
  yield text;
}

/** CSV text (with header) of `n` rows: x = row index from `from`, colour, y = high when x >= threshold else low. */
export function thresholdCsv(n: number, threshold = n / 2, from = 0): string {
  const lines = ['x,colour,y'];
  for (let i = from; i < from + n; i++) lines.push(`${i},${['red', 'green', 'blue'][i % 3]},${i >= threshold ? 'high' : 'low'}`);
  return lines.join('\n') + '\n';
}

export async function importCsv(lathe: Lathe, name: string, csv: string) {
  return lathe.tables.importCsv({ source: once(csv), name });
}

export async function appendCsv(lathe: Lathe, tableId: string, csv: string) {
  return lathe.tables.appendCsv(tableId, once(csv));
}
