// The held-out test texts when no split column fixes them: a seeded split stratified on each
// text's rarest tag, so every tag keeps about the same share of texts in training and test.
import { Random } from '../../learners/text/random.js';

export const TEST_FRACTION = 0.2;

/**
 * Splits `rows` into training and test rows. Rows are grouped by their rarest tag (tag frequency
 * over `rows`; untagged rows form their own group); each group is shuffled with the seed and its
 * first round(TEST_FRACTION × size) rows, at least one in groups of five or more, go to test.
 */
export function stratifiedSplit(rows: readonly number[], rowTags: readonly string[][], seed: number): { train: number[]; test: number[] } {
  const frequency = new Map<string, number>();
  for (const r of rows) for (const t of rowTags[r]) frequency.set(t, (frequency.get(t) ?? 0) + 1);
  const groups = new Map<string, number[]>();
  for (const r of rows) {
    let rarest = '';
    for (const t of rowTags[r]) {
      if (rarest === '' || (frequency.get(t) as number) < (frequency.get(rarest) as number) || ((frequency.get(t) as number) === (frequency.get(rarest) as number) && t < rarest)) rarest = t;
    }
    const key = rarest === '' ? '' : `#${rarest}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const random = new Random(seed);
  const test: number[] = [];
  const train: number[] = [];
  for (const key of [...groups.keys()].sort()) {
    const members = groups.get(key) as number[];
    random.shuffle(members);
    let take = Math.round(members.length * TEST_FRACTION);
    if (take === 0 && members.length >= 5) take = 1;
    members.forEach((r, k) => (k < take ? test : train).push(r));
  }
  test.sort((a, b) => a - b);
  train.sort((a, b) => a - b);
  return { train, test };
}
