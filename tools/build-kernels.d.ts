// Types of build-kernels.js (for test/kernels-build.test.ts).
export const KERNELS_SOURCE: string;
export const KERNELS_MODULE: string;
export function compileKernels(): Promise<Buffer>;
export function kernelsModuleText(wasm: Buffer): string;
