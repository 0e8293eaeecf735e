// Import benchmark: a generated 1,000,000-row x 20-column CSV (~100 MB) through the tables service and the CLI.
// Prints wall time, rows/s and peak RSS. Usage: npm run bench:import [-- --rows N --keep --skip-cli --skip-read]
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { openLathe } from '../src/services/lathe.js';
// Deterministic mulberry32 numbers, so every run writes the same file.
import { rng } from '../src/engines/prediction/random.js';

const args = process.argv.slice(2);
const ROWS = Number(args[args.indexOf('--rows') + 1]) || 1_000_000;
const KEEP = args.includes('--keep');
const SKIP_CLI = args.includes('--skip-cli');
const SKIP_READ = args.includes('--skip-read');
const ROOT = join(import.meta.dirname, '..');

const CATS = [
  ['north', 'south', 'east', 'west'],
  ['Retail', 'Wholesale', 'Online', 'Partner', 'Other'],
  ['A', 'B', 'C'],
  ['basic', 'plus', 'premium'],
  ['red', 'green', 'blue', 'yellow', 'black', 'white'],
  ['small', 'medium', 'large'],
];

/** Writes the CSV in blocks of 10,000 rows (bounded memory), returns its size in bytes. */
async function generate(path: string, rows: number): Promise<number> {
  const out = createWriteStream(path);
  const r = rng(7);
  const header = ['id', ...Array.from({ length: 11 }, (_, i) => `x${i + 1}`), 'region', 'channel', 'grade', 'plan', 'colour', 'size', 'active', 'signup'];
  out.write(header.join(',') + '\n');
  for (let start = 0; start < rows; start += 10_000) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(rows, start + 10_000); i++) {
      const cells: string[] = [String(i)];
      for (let k = 0; k < 11; k++) {
        // About 2% empty cells; a mix of integers and decimals.
        cells.push(r() < 0.02 ? '' : k % 3 === 0 ? String(Math.floor(r() * 1000)) : (r() * 100 - 50).toFixed(3));
      }
      for (const values of CATS) cells.push(r() < 0.01 ? '' : values[Math.floor(r() * values.length)]);
      cells.push(r() < 0.5 ? 'true' : 'false');
      const d = new Date(Date.UTC(2020, 0, 1) + Math.floor(r() * 1500) * 86_400_000);
      cells.push(d.toISOString().slice(0, 10));
      lines.push(cells.join(','));
    }
    if (!out.write(lines.join('\n') + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return statSync(path).size;
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

async function viaService(file: string, dataDir: string) {
  const lathe = await openLathe({ dataDir });
  const rssBefore = process.resourceUsage().maxRSS * 1024;
  let peakHeap = 0;
  const t0 = performance.now();
  const table = await lathe.tables.importCsv({
    source: createReadStream(file, { highWaterMark: 1 << 20 }),
    name: 'bench',
    onProgress: () => {
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    },
  });
  const secs = (performance.now() - t0) / 1000;
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(
    `service import: ${table.rowCount.toLocaleString('en-US')} rows x ${table.columns.length} columns in ${secs.toFixed(1)} s = ${Math.round(table.rowCount / secs).toLocaleString('en-US')} rows/s; ` +
      `peak RSS ${mb(peak)} MB (before import ${mb(rssBefore)} MB), peak heap used ${mb(peakHeap)} MB`,
  );
  console.log(`  types: ${table.columns.map((c) => c.type).join(' ')}`);
  if (SKIP_READ) {
    await lathe.close();
    return;
  }
  const t1 = performance.now();
  const data = await lathe.tables.readData(table.id);
  console.log(
    `readData (whole table into memory, by design): ${((performance.now() - t1) / 1000).toFixed(1)} s, peak RSS now ${mb(process.resourceUsage().maxRSS * 1024)} MB, ${data.rowCount.toLocaleString('en-US')} rows`,
  );
  await lathe.close();
}

/** Runs `lathe tables import` in a child process (progress bar on this terminal); peak RSS from /proc. */
async function viaCli(file: string, dataDir: string) {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--data-dir', dataDir, 'tables', 'import', file, '--name', 'bench-cli'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LATHE_URL: '' },
  });
  let peakKb = 0;
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {
      /* the process has ended */
    }
  }, 100);
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const [code] = await once(child, 'exit');
  clearInterval(poll);
  const secs = (performance.now() - t0) / 1000;
  console.log(stdout.split('\n')[0]);
  console.log(`CLI import (child process, exit ${code}): ${secs.toFixed(1)} s wall including start-up = ${Math.round(ROWS / secs).toLocaleString('en-US')} rows/s; peak RSS ${mb(peakKb * 1024)} MB`);
}

const dir = mkdtempSync(join(tmpdir(), 'lathe-bench-import-'));
try {
  const file = join(dir, 'bench.csv');
  const t0 = performance.now();
  const size = await generate(file, ROWS);
  console.log(`generated ${ROWS.toLocaleString('en-US')} rows x 20 columns, ${mb(size)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s (${file})`);
  await viaService(file, join(dir, 'data-service'));
  if (!SKIP_CLI) await viaCli(file, join(dir, 'data-cli'));
  console.log(`database size after the service import: ${mb(statSync(join(dir, 'data-service', 'lathe.db')).size)} MB`);
} finally {
  if (!KEEP) rmSync(dir, { recursive: true, force: true });
}
