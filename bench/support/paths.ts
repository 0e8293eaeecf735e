// Where the repository and the shared datasets are, for a bench run from its sources (tsx) or
// compiled (tsconfig.bench.json writes .bench-build/, one folder deeper).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

function findRoot(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${import.meta.dirname}`);
    dir = up;
  }
  return dir;
}

/** The repository (the folder of package.json). */
export const ROOT = findRoot();
/** ../shared beside the repository: datasets and anchors. */
export const SHARED = resolve(ROOT, '../shared');
