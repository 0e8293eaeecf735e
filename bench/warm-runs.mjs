// Benchmark: the default prediction path trained four times in a row through the service, so runs
// 2-4 reuse the warm training worker. They must not be slower than run 1: a worker whose thread
// ever detached an ArrayBuffer (a postMessage with a transfer list) trains 15-30% slower from
// then on (DEVELOPERS.md). Runs the built code (`npm run build` first), as production does.
// Usage: npm run bench:warm-runs [-- dataset target]
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openLathe } from '../dist/services/lathe.js';

const [name = 'bank_marketing', target = 'y'] = process.argv.slice(2);
const csv = resolve(import.meta.dirname, '../../shared/datasets', `${name}.csv`);
const dir = mkdtempSync(join(tmpdir(), 'lathe-warm-'));
const lathe = await openLathe({ dataDir: dir, samples: false, maxConcurrentRuns: 2 });
try {
  const table = await lathe.tables.importCsv({ source: createReadStream(csv), name });
  const model = await lathe.models.create({ name, type: 'prediction', configuration: { tableId: table.id, target, splitColumn: 'split' } });
  console.log(`# ${name}: the default path trained 4 times through one warm worker (wall seconds per run)`);
  for (let k = 1; k <= 4; k++) {
    if (k > 1) await lathe.models.newVersion(model.id);
    const run = await lathe.models.train(model.id);
    const t0 = performance.now();
    const done = await lathe.models.waitForRun(run.id);
    console.log(`run ${k}: ${done.status}, ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  }
} finally {
  await lathe.close();
  rmSync(dir, { recursive: true, force: true });
}
