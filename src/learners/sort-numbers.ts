// Sorting numbers fast: an LSD radix sort of Float64Array values on their bits, for the column
// profiles, quantiles and bin edges of tables with millions of rows (V8's TypedArray sort takes
// about 100 ms per million values, this about 65).

/**
 * Below this many values the built-in sort is faster (the passes' 65,536 counters cost the same
 * for any length). Measured: 4,096 values 460 us radix, 120 us built-in; 16,384: 1.05 ms, 1.16 ms.
 */
const RADIX_MIN = 16_384;

/**
 * Sorts `values` ascending in place and returns it: the order of Float64Array.prototype.sort
 * (-0 before +0, NaNs last).
 */
export function sortFloat64(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < RADIX_MIN) return values.sort();
  // Keys: the bits of each value made to sort as unsigned integers (negative values: every bit
  // flipped; others: the sign bit set). NaNs go last, as the built-in sort puts them.
  let nNaN = 0;
  const lo = new Uint32Array(n);
  const hi = new Uint32Array(n);
  const words = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i];
    if (x !== x) {
      nNaN++;
      continue;
    }
    const l = words[2 * i];
    const h = words[2 * i + 1];
    if (h >>> 31) {
      lo[m] = ~l >>> 0;
      hi[m] = ~h >>> 0;
    } else {
      lo[m] = l;
      hi[m] = (h | 0x80000000) >>> 0;
    }
    m++;
  }
  // Four passes of 16-bit digits (measured faster than eight of 8 bits on a million doubles).
  let srcLo = lo;
  let srcHi = hi;
  let dstLo = new Uint32Array(m);
  let dstHi = new Uint32Array(m);
  const counts = new Int32Array(1 << 16);
  for (let pass = 0; pass < 4; pass++) {
    const key = pass < 2 ? srcLo : srcHi;
    const shift = (pass & 1) * 16;
    counts.fill(0);
    for (let i = 0; i < m; i++) counts[(key[i] >>> shift) & 0xffff]++;
    // A digit all keys share leaves the order as it is.
    if (m === 0 || counts[(key[0] >>> shift) & 0xffff] === m) continue;
    let at = 0;
    for (let d = 0; d < 1 << 16; d++) {
      const c = counts[d];
      counts[d] = at;
      at += c;
    }
    for (let i = 0; i < m; i++) {
      const o = counts[(key[i] >>> shift) & 0xffff]++;
      dstLo[o] = srcLo[i];
      dstHi[o] = srcHi[i];
    }
    [srcLo, dstLo] = [dstLo, srcLo];
    [srcHi, dstHi] = [dstHi, srcHi];
  }
  for (let i = 0; i < m; i++) {
    const h = srcHi[i];
    if (h >>> 31) {
      words[2 * i] = srcLo[i];
      words[2 * i + 1] = (h & 0x7fffffff) >>> 0;
    } else {
      words[2 * i] = ~srcLo[i] >>> 0;
      words[2 * i + 1] = ~h >>> 0;
    }
  }
  values.fill(NaN, m, m + nNaN);
  return values;
}
