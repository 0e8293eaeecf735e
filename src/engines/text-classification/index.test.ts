import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LatheError } from '../../domain/errors.js';
import { readCsvFile } from '../../tables/read-csv-file.js';
import type { TableData } from '../../tables/table-data.js';
import type { TrainResult } from '../seam.js';
import { textClassificationEngine as engine, type TextPrediction } from './index.js';
import { shapeOf, textTable, ticketTexts } from './test-tables.js';

const SMS = join(import.meta.dirname, '../../../../shared/datasets/sms_spam.csv');
const options = { seed: 7, threads: 1, progress: () => {} };

/** The first `rows` rows of a table. */
function head(table: TableData, rows: number): TableData {
  return { ...table, rowCount: rows, columns: table.columns.map((c) => ({ ...c, values: c.values.slice(0, rows) }) as typeof c) };
}

describe('textClassificationEngine on a slice of sms_spam', () => {
  let sms: TableData;
  let result: TrainResult;
  const configuration = () => ({ tableId: sms.tableId, textColumn: 'text', tagColumn: 'label', splitColumn: 'split' });

  beforeAll(async () => {
    sms = head(await readCsvFile(SMS), 1500);
    result = await engine.train(sms, configuration(), options);
  });

  it('separates spam from ham on the test rows of the split column', () => {
    const { evaluation } = result;
    expect(evaluation.split).toEqual({ method: 'column', column: 'split' });
    expect(evaluation.rows.test).toBeGreaterThan(250);
    expect(evaluation.metrics.accuracy).toBeGreaterThan(0.95);
    expect(evaluation.score.kind).toBe('score');
    expect(Math.abs(evaluation.score.value - 100 * evaluation.metrics.microF1)).toBeLessThanOrEqual(0.06);
    expect(evaluation.score.explanation).toMatch(/micro-averaged F1/);
    expect(evaluation.details.confusion).toMatchObject({ tags: ['ham', 'spam'] });
    expect((evaluation.details.misclassified as unknown[]).length).toBeLessThanOrEqual(20);
    expect(evaluation.influence).toEqual([{ column: 'text', share: 1 }]);
  });

  it('predicts every tag with a confidence, the top tag, the assigned tags and their terms', () => {
    const predictor = engine.load(result.artifact);
    expect(predictor.inputs).toEqual([{ name: 'text', type: 'text' }]);
    const [spam, ham] = predictor.predict([{ text: 'WINNER! You have won a free prize, call now to claim' }, { text: 'see you at home for dinner tonight' }]) as TextPrediction[];
    expect(spam.topTag).toBe('spam');
    expect(spam.assigned).toEqual(['spam']);
    expect(spam.tags.map((t) => t.tag)).toEqual(['spam', 'ham']);
    expect(spam.tags[0].confidence + spam.tags[1].confidence).toBeCloseTo(1, 9);
    expect(spam.contributions!.spam.length).toBeGreaterThan(0);
    expect(ham.topTag).toBe('ham');
  });

  it('leaves the contributions out with explain: false and predicts the same tags and confidences', () => {
    const predictor = engine.load(result.artifact);
    const texts = sms.columns.find((c) => c.name === 'text')!.values as (string | null)[];
    const rows = texts.slice(0, 200).map((text) => ({ text }));
    const explained = predictor.predict(rows) as TextPrediction[];
    const bare = predictor.predict(rows, { explain: false }) as TextPrediction[];
    for (const r of bare) expect(r).not.toHaveProperty('contributions');
    expect(bare).toEqual(explained.map(({ contributions: _, ...rest }) => rest));
    expect(new Set(bare.map((r) => r.topTag))).toEqual(new Set(['ham', 'spam']));
  });

  it('produces the same artifact bytes for the same data and seed', async () => {
    const again = await engine.train(sms, configuration(), options);
    expect(Buffer.from(again.artifact).equals(Buffer.from(result.artifact))).toBe(true);
  });

  it('holds out a stratified test split when no split column is given', async () => {
    const r = await engine.train(sms, { tableId: sms.tableId, textColumn: 'text', tagColumn: 'label' }, options);
    expect(r.evaluation.split).toMatchObject({ method: 'stratified', testFraction: 0.2 });
    expect(r.evaluation.rows.test).toBe(300);
    expect(r.evaluation.metrics.accuracy).toBeGreaterThan(0.95);
  });
});

describe('textClassificationEngine rules', () => {
  it('throws INVALID_CONFIGURATION with the errors when the data break a rule', () => {
    const { texts, tags } = ticketTexts({ billing: 30 });
    const table = textTable(texts, tags);
    let thrown: unknown;
    try {
      engine.train(table, { tableId: 't1', textColumn: 'text', tagColumn: 'tags' }, options);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(LatheError);
    expect((thrown as LatheError).code).toBe('INVALID_CONFIGURATION');
    expect((thrown as LatheError).details.errors).toEqual([expect.objectContaining({ code: 'TOO_FEW_TAGS' })]);
  });

  it('checks without training and reports the warnings training would give', () => {
    const { texts, tags } = ticketTexts({ billing: 12, login: 12, shipping: 3 });
    const table = textTable(texts, tags);
    const report = engine.check({ tableId: 't1', textColumn: 'text', tagColumn: 'tags' }, shapeOf(table), table);
    expect(report.errors).toEqual([]);
    expect(report.warnings.map((w) => w.code)).toEqual(['TAG_TOO_RARE']);
  });

  it('trains multi-label tags and assigns each one at its own threshold', () => {
    const { texts, tags } = ticketTexts({ billing: 40, login: 40, shipping: 40 });
    // A third of the texts mention a second topic and carry both tags.
    const both = texts.map((t, i) => (i % 3 === 0 ? `${t} ${texts[(i + 40) % 120]}` : t));
    const multi = tags.map((t, i) => (i % 3 === 0 ? `${t};${tags[(i + 40) % 120]}` : t));
    const table = textTable(both, multi);
    const r = engine.train(table, { tableId: 't1', textColumn: 'text', tagColumn: 'tags' }, options) as TrainResult;
    expect(r.summary).toMatchObject({ mode: 'multi-label', separator: ';', tags: ['billing', 'login', 'shipping'] });
    expect(r.evaluation.metrics.microF1).toBeGreaterThan(0.8);
    const [p] = engine.load(r.artifact).predict([{ text: 'my invoice shows a double charge and the parcel tracking says late delivery' }]) as TextPrediction[];
    expect([...p.assigned].sort()).toEqual(['billing', 'shipping']);
  });
});
