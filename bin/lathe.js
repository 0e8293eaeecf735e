#!/usr/bin/env node
// Entry point of the `lathe` command: runs the compiled CLI (npm run build makes dist/).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const compiled = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(compiled)) {
  console.error('Lathe is not built yet. Run `npm run build` (or `npm start`) in ' + root + ' first.');
  process.exit(1);
}
await import(pathToFileURL(compiled).href);
