// Tests of binning: edges, quantile bins, missing and categorical bins.
import { describe, expect, it } from 'vitest';
import { binDataset, fitBinMapper } from './binning.js';
import { Rng } from './random.js';
import { categorical, dataset, numeric } from './test-support/test-data.js';

describe('binning', () => {
  it('gives few distinct values one bin each, cut halfway between them, and missing the last bin', () => {
    const data = dataset([numeric('x', [3, 1, 2, 2, NaN, 1])]);
    const m = fitBinMapper(data, 255, 1);
    expect(Array.from(m.edges[0])).toEqual([1.5, 2.5]);
    expect(m.nBins[0]).toBe(3);
    expect(Array.from(binDataset(m, data).columns[0])).toEqual([2, 0, 1, 1, 3, 0]);
    // Unseen values fall in the bin their edges say.
    expect(Array.from(binDataset(m, dataset([numeric('x', [-9, 1.5, 1.6, 99])])).columns[0])).toEqual([0, 0, 1, 2]);
  });

  it('caps many distinct values at maxBins quantile bins of similar size', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 10_000);
    const data = dataset([numeric('x', values)]);
    const m = fitBinMapper(data, 16, 1);
    expect(m.nBins[0]).toBe(16);
    const counts = new Array<number>(17).fill(0);
    for (const b of binDataset(m, data).columns[0]) counts[b]++;
    for (let b = 0; b < 16; b++) expect(Math.abs(counts[b] - 625)).toBeLessThanOrEqual(2);
    expect(counts[16]).toBe(0);
  });

  it('keeps a heavily repeated value in a single bin', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i < 900 ? 0 : i));
    const m = fitBinMapper(dataset([numeric('x', values)]), 10, 1);
    const col = binDataset(m, dataset([numeric('x', values)])).columns[0];
    expect(new Set(col.subarray(0, 900)).size).toBe(1);
  });

  it('uses category codes as bins, unknown and missing codes in the missing bin', () => {
    const data = dataset([categorical('c', [0, 2, 1, -1], 3)]);
    const m = fitBinMapper(data, 255, 1);
    expect(m.nBins[0]).toBe(3);
    expect(Array.from(binDataset(m, dataset([categorical('c', [0, 2, 1, -1, 7], 8)])).columns[0])).toEqual([0, 2, 1, 3, 3]);
  });

  it('puts the rarest categories together when there are more than maxBins', () => {
    const codes = [0, 0, 0, 1, 1, 2, 3];
    const m = fitBinMapper(dataset([categorical('c', codes, 4)]), 3, 1);
    expect(m.nBins[0]).toBe(3);
    expect(Array.from(m.catToBin[0])).toEqual([0, 1, 2, 2]);
  });

  it('bins every value like a binary search over the edges (uniform, skewed, repeated, extreme values)', () => {
    const rng = new Rng(11);
    const samples: number[][] = [
      Array.from({ length: 5000 }, () => rng.nextFloat() * 100),
      Array.from({ length: 5000 }, () => Math.exp(rng.nextFloat() * 30) - 1),
      Array.from({ length: 5000 }, () => (rng.nextFloat() < 0.5 ? 0 : rng.nextInt(7))),
      Array.from({ length: 5000 }, (_, i) => (i % 3 === 0 ? -1e300 : i % 3 === 1 ? 1e300 : rng.nextFloat())),
      Array.from({ length: 300 }, () => 42),
    ];
    for (const values of samples) {
      const train = dataset([numeric('x', values)]);
      const m = fitBinMapper(train, 255, 1);
      const edges = m.edges[0];
      const probe = [...values, ...Array.from({ length: 2000 }, () => (rng.nextFloat() - 0.5) * 2 * Math.max(...values.map(Math.abs))), ...Array.from(edges), NaN, -Infinity, Infinity];
      const col = binDataset(m, dataset([numeric('x', probe)])).columns[0];
      probe.forEach((x, i) => {
        let expected = m.nBins[0];
        if (x === x) {
          expected = 0;
          while (expected < edges.length && edges[expected] < x) expected++;
        }
        expect(col[i], `x = ${x}`).toBe(expected);
      });
    }
  });
});
