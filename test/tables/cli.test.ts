import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { numberedCsv, removeTempDirs, tempDir } from './helpers.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');

async function lathe(dataDir: string, ...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'src/cli/main.ts', '--data-dir', dataDir, ...args], { cwd: ROOT, env: { ...process.env, LATHE_URL: '' } });
    return { stdout, stderr, code: 0 };
  } catch (e) {
    const err = e as { stdout: string; stderr: string; code: number };
    return { stdout: err.stdout, stderr: err.stderr, code: err.code };
  }
}

afterAll(removeTempDirs);

describe('lathe tables (CLI, local data folder)', () => {
  it.concurrent('imports, appends, lists, shows and prints rows, in text and JSON', async () => {
    const dir = tempDir('lathe-cli-');
    const file = join(dir, 'scores.csv');
    writeFileSync(file, numberedCsv(30));
    const imported = await lathe(dir, '--json', 'tables', 'import', file, '--name', 'Scores');
    expect(imported.code).toBe(0);
    const t = JSON.parse(imported.stdout);
    expect(t).toMatchObject({ name: 'Scores', rowCount: 30, revision: 1 });

    const more = join(dir, 'more.json');
    writeFileSync(more, JSON.stringify([{ id: 99, group: 'g1', score: 1.5 }]));
    const appended = await lathe(dir, 'tables', 'append', t.id, more);
    expect(appended.stdout).toContain('Appended 1 row to "Scores": now 31 rows, revision 2.');

    const list = await lathe(dir, 'tables', 'list');
    expect(list.stdout).toMatch(new RegExp(`${t.id}\\s+Scores\\s+31\\s+3\\s+2`));

    const rows = await lathe(dir, 'tables', 'rows', t.id, '--offset', '29', '--limit', '5');
    expect(rows.stdout).toContain('(rows 30-31 of 31, revision 2)');
    expect(rows.stdout).toMatch(/31\s+99\s+g1\s+1\.5/);

    const shown = await lathe(dir, 'tables', 'show', 'scores');
    expect(shown.stdout).toContain('revision 2, 31 rows, 3 columns');
    expect(shown.stdout).toMatch(/group\s+category/);
  });

  it.concurrent('prints the progress bar on stderr and a readable error with the row for a bad file', async () => {
    const dir = tempDir('lathe-cli-');
    const good = join(dir, 'good.csv');
    writeFileSync(good, numberedCsv(10));
    const ok = await lathe(dir, 'tables', 'import', good);
    expect(ok.stdout).toContain('Imported "good"');
    expect(ok.stderr).toContain('Importing 100%');

    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'a,b\n1,2\n3,4,5\n');
    const failed = await lathe(dir, 'tables', 'import', bad);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('Error (INVALID_DATA): Row 3 has 3 values');
  });
});
