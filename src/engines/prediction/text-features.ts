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
 * The words kept as indicators: the most frequent by number of rows, present in at least 1% of the
 * rows (and at least 3) and in at most 95% of them. Ties break by the word so the result is stable.
 */
export function learnVocabulary(texts: Iterable<string | null>, size = TEXT_VOCABULARY_SIZE): string[] {
  const df = new Map<string, number>();
  let n = 0;
  for (const t of texts) {
    if (t === null) continue;
    n++;
    for (const w of new Set(tokenize(t))) df.set(w, (df.get(w) ?? 0) + 1);
  }
  const min = Math.max(3, Math.ceil(0.01 * n));
  const max = Math.floor(0.95 * n);
  return [...df.entries()]
    .filter(([, c]) => c >= min && c <= max)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, size)
    .map(([w]) => w);
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
