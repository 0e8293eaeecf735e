// The committed WebAssembly kernels are the compiled AssemblyScript source: rebuilding them gives
// the same bytes (if this fails, run `npm run build:kernels` and commit the result).
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { compileKernels, KERNELS_MODULE, kernelsModuleText } from '../tools/build-kernels.js';

describe('gbdt WebAssembly kernels', () => {
  it('are up to date with their AssemblyScript source', async () => {
    const wasm = await compileKernels();
    expect(wasm.length).toBeGreaterThan(1000);
    const committed = await readFile(new URL(`../${KERNELS_MODULE}`, import.meta.url), 'utf8');
    expect(committed).toBe(kernelsModuleText(wasm));
  }, 60_000);
});
