// Small seeded datasets shared by the learner's tests.
import { Rng } from '../random.js';
import type { GbdtDataset, GbdtFeature, GbdtParams } from '../types.js';

export function numeric(name: string, values: number[]): GbdtFeature {
  return { name, kind: 'numeric', values: Float64Array.from(values) };
}

export function categorical(name: string, values: number[], nCategories: number): GbdtFeature {
  return { name, kind: 'categorical', values: Int32Array.from(values), nCategories };
}

export function dataset(features: GbdtFeature[]): GbdtDataset {
  return { nRows: features[0].values.length, features };
}

/** Fixed settings for tests; tests override what they exercise. */
export function params(over: Partial<GbdtParams> = {}): GbdtParams {
  return { loss: 'logloss', maxIter: 10, learningRate: 0.3, maxLeaves: 8, minSamplesLeaf: 1, minHessianLeaf: 0, l2: 0, maxBins: 255, seed: 7, ...over };
}

/**
 * A mixed dataset: two numeric columns (with missing values), one categorical column (with
 * missing codes), and a label that depends on all three.
 */
export function mixedData(n: number, seed: number): { data: GbdtDataset; y: Float64Array; yReg: Float64Array; yClass: Float64Array } {
  const rng = new Rng(seed);
  const a: number[] = [];
  const b: number[] = [];
  const c: number[] = [];
  const y = new Float64Array(n);
  const yReg = new Float64Array(n);
  const yClass = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const av = rng.nextFloat() * 10 - 5;
    const bv = Math.round(rng.nextFloat() * 20);
    const cv = rng.nextInt(6);
    a.push(rng.nextFloat() < 0.1 ? NaN : av);
    b.push(bv);
    c.push(rng.nextFloat() < 0.05 ? -1 : cv);
    const score = av + (cv === 2 || cv === 4 ? 3 : -1) + 0.2 * bv - 2 + (rng.nextFloat() - 0.5);
    y[i] = score > 0 ? 1 : 0;
    yReg[i] = score * 10;
    yClass[i] = score < -2 ? 0 : score < 1 ? 1 : 2;
  }
  return { data: dataset([numeric('a', a), numeric('b', b), categorical('c', c, 6)]), y, yReg, yClass };
}
