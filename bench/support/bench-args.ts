// What the gbdt benches share: their command-line flags, the median, and the fixed learner
// settings of the speed comparison (issue 3: 100 trees, 31 leaves, rate 0.1, 255 bins).
const args = process.argv.slice(2);

/** Whether `--name` was given. */
export const flag = (name: string): boolean => args.includes(name);

/** The number after `--name`, or dflt. */
export const option = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};

/** The n numbers after `--name` (NaN where missing). */
export const optionValues = (name: string, n: number): number[] => {
  const i = args.indexOf(name);
  return Array.from({ length: n }, (_, k) => Number(args[i + 1 + k]));
};

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The fixed settings of the comparison (LightGBM-like defaults for the leaf constraints). */
export const FIXED = { maxIter: 100, maxLeaves: 31, learningRate: 0.1, maxBins: 255, minSamplesLeaf: 20, minHessianLeaf: 1e-3, l2: 0 };
