// Helpers of the tables integration tests: a Lathe on a fresh SQLite file, byte sources, CSV builders.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLathe, type Lathe } from '../../src/services/lathe.js';

const created: string[] = [];

/** A fresh temporary folder, removed by removeTempDirs (call it in afterAll). */
export function tempDir(prefix = 'lathe-tables-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export async function freshLathe(): Promise<Lathe> {
  return openLathe({ dataDir: tempDir() });
}

export async function* source(text: string, pieceSize = 64 * 1024): AsyncGenerator<Uint8Array> {
  const b = Buffer.from(text);
  for (let i = 0; i < b.length; i += pieceSize) yield b.subarray(i, i + pieceSize);
}

/** A CSV with `rows` rows of (id number, group category, score number with some empty cells). */
export function numberedCsv(rows: number, from = 0): string {
  const lines = ['id,group,score'];
  for (let i = from; i < from + rows; i++) lines.push(`${i},g${i % 3},${i % 7 === 0 ? '' : (i * 0.5).toString()}`);
  return lines.join('\n') + '\n';
}
