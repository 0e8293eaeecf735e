// 32-bit hashing of term sequences for the feature-hashing vectorizer (FNV-1a plus a murmur3 finalizer).

/** FNV-1a offset basis: the hash of an empty sequence. */
export const FNV_BASIS = 0x811c9dc5;

/** One FNV-1a step: folds a UTF-16 code unit into a running hash. */
export function fnvStep(h: number, unit: number): number {
  return Math.imul(h ^ unit, 0x01000193) >>> 0;
}

/** FNV-1a over text[start, end). */
export function hashRange(text: string, start: number, end: number): number {
  let h = FNV_BASIS;
  for (let i = start; i < end; i++) h = fnvStep(h, text.charCodeAt(i));
  return h;
}

/**
 * murmur3's fmix32: spreads every input bit over the output, so low bits (the bucket) and the
 * top bit (the sign) are independent even for FNV hashes of similar strings.
 */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Combines two hashes (order matters), e.g. the two words of a bigram. */
export function combine(a: number, b: number): number {
  return mix32((Math.imul(a, 0x9e3779b1) + b) >>> 0);
}
