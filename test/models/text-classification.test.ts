// End to end with the real text classification engine: sms_spam.csv imported through the tables
// service, trained in a worker thread, published and used for predictions.
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type Harness } from './harness.js';

const SMS = fileURLToPath(new URL('../../../shared/datasets/sms_spam.csv', import.meta.url));
let h: Harness;

beforeAll(async () => {
  h = await openHarness({ stump: false });
});
afterAll(async () => {
  await h?.cleanup();
});

describe('a real text classification model on sms_spam.csv', () => {
  it('trains, publishes and tags new texts', async () => {
    const { lathe } = h;
    const table = await lathe.tables.importCsv({ source: createReadStream(SMS), name: 'sms' });
    const model = await lathe.models.create({
      name: 'Spam',
      type: 'text-classification',
      configuration: { tableId: table.id, textColumn: 'text', tagColumn: 'label', separator: 'none', splitColumn: 'split' },
    });
    expect(model.draft?.validation.errors).toEqual([]);
    const done = await lathe.models.waitForRun((await lathe.models.train(model.id)).id);
    expect(done.error).toBeNull();
    const v1 = (await lathe.models.publish(model.id)).published!;
    expect(v1.score.kind).toBe('score');
    expect(Object.keys(v1.metrics).length).toBeGreaterThan(0);
    const out = await lathe.models.predict(model.id, [{ text: 'WINNER!! Claim your free prize now, call 09061701461' }, { text: 'See you at lunch tomorrow?' }]);
    expect(out.results).toHaveLength(2);
    expect(out.results.map((r) => r.topTag)).toEqual(['spam', 'ham']);
    expect(v1.metrics.microF1).toBeGreaterThan(0.9);
  });
});
