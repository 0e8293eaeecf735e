// Free text turned into a few numeric features: length, word count and indicators of frequent words.
//
// Why not TF-IDF: a GBDT splits one feature at a time, so thousands of sparse TF-IDF columns cost
// time and memory for little gain on tables, where text columns are short (names, titles, notes).
// The most frequent words as 0/1 indicators (learned from the training part only) capture what such
// columns carry (a "Mr." or "Miss" in a passenger name, "urgent" in a ticket title), stay readable in
// explanations, and their SHAP parts add back up to the column.

/** Lower-cased word tokens (letters and digits); punctuation separates words. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0);
}

export const TEXT_VOCABULARY_SIZE = 24;

/**
 * The words kept as indicators. Candidates are present in at least 1% of the rows (and at least 3)
 * and in at most 95% of them. With the outcome at hand (training rows only), the words that tell
 * most about it win: a chi-square score for outcomes (how far the outcome mix of rows with the word
 * is from the overall mix: the word's part of the 2 x outcomes table's statistic, so slightly below
 * the full one) or, for numbers, the squared shift of the mean in units of its standard error (a
 * squared z score); a word must pass the 95% quantile of chi-square with outcomes - 1 degrees of
 * freedom (one for numbers). Without the outcome, the most frequent words. Ties break by the word
 * so the result is stable.
 */
export function learnVocabulary(
  texts: (string | null)[],
  size = TEXT_VOCABULARY_SIZE,
  outcome?: { y: Float64Array; nClasses: number },
): string[] {
  const df = new Map<string, number>();
  const tokensOf: (string[] | null)[] = texts.map((t) => (t === null ? null : [...new Set(tokenize(t))]));
  let n = 0;
  for (const ts of tokensOf) {
    if (ts === null) continue;
    n++;
    for (const w of ts) df.set(w, (df.get(w) ?? 0) + 1);
  }
  const min = Math.max(3, Math.ceil(0.01 * n));
  const max = Math.floor(0.95 * n);
  const kept = [...df.entries()].filter(([, c]) => c >= min && c <= max);
  const score = new Map<string, number>(kept);
  if (outcome) {
    const { y, nClasses } = outcome;
    const K = Math.max(1, nClasses);
    const index = new Map(kept.map(([w], i) => [w, i]));
    // Per word: outcome counts (classification) or sum of y (numbers).
    const stats = new Float64Array(kept.length * K);
    const overall = new Float64Array(K);
    let sumY = 0;
    let sumY2 = 0;
    let m = 0;
    tokensOf.forEach((ts, i) => {
      if (ts === null) return;
      m++;
      if (K > 1) overall[y[i]]++;
      else {
        sumY += y[i];
        sumY2 += y[i] * y[i];
      }
      for (const w of ts) {
        const j = index.get(w);
        if (j === undefined) continue;
        if (K > 1) stats[j * K + y[i]]++;
        else stats[j] += y[i];
      }
    });
    const mean = sumY / Math.max(1, m);
    const variance = Math.max(1e-12, sumY2 / Math.max(1, m) - mean * mean);
    kept.forEach(([w, c], j) => {
      let s = 0;
      if (K > 1) {
        for (let k = 0; k < K; k++) {
          const expected = (c * overall[k]) / m;
          if (expected > 0) s += (stats[j * K + k] - expected) ** 2 / expected;
        }
      } else s = (c * (stats[j] / c - mean) ** 2) / variance;
      score.set(w, s);
    });
  }
  // With the outcome, a word must tell about it beyond chance (5% level): on a few hundred rows the
  // best-scoring of many words include first names that only look telling, and the trees then split
  // on them.
  const minScore = outcome ? chiSquare95(Math.max(1, outcome.nClasses - 1)) : -Infinity;
  return kept
    .map(([w]) => [w, score.get(w)!] as const)
    .filter(([, s]) => s >= minScore)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, size)
    .map(([w]) => w);
}

/**
 * The 95% quantile of the chi-square distribution with `df` degrees of freedom: 1.96² for one, the
 * Wilson-Hilferty approximation beyond (within 1% from two on).
 */
export function chiSquare95(df: number): number {
  if (df <= 1) return 1.959964 ** 2;
  const a = 2 / (9 * df);
  return df * (1 - a + 1.644854 * Math.sqrt(a)) ** 3;
}

/** Mean number of words per non-missing value: free text has several, codes and names of things one or two. */
export function meanWordCount(values: (string | null)[], rows: Int32Array): number {
  let words = 0;
  let n = 0;
  for (const r of rows) {
    const v = values[r];
    if (v === null) continue;
    words += tokenize(v).length;
    n++;
  }
  return n === 0 ? 0 : words / n;
}
