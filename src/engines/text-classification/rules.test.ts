import { describe, expect, it } from 'vitest';
import { applyRules } from './rules.js';
import { shapeOf, textTable, ticketTexts } from './test-tables.js';

const config = { tableId: 't1', textColumn: 'text', tagColumn: 'tags' };
const codes = (list: { code: string }[]) => list.map((m) => m.code);

describe('applyRules', () => {
  it('accepts a valid table and prepares the trained tags', () => {
    const { texts, tags } = ticketTexts({ billing: 12, login: 12 });
    const table = textTable(texts, tags);
    const { report, prepared } = applyRules(config, shapeOf(table), table);
    expect(report.errors).toEqual([]);
    expect(prepared?.tags).toEqual(['billing', 'login']);
    expect(prepared?.singleLabel).toBe(true);
    expect(prepared?.separator).toBe('none');
  });

  it('reports schema problems as field errors without throwing', () => {
    const table = textTable(['a'], ['b']);
    const { report } = applyRules({ tableId: 't1', textColumn: 'text', separator: '|' }, shapeOf(table));
    expect(codes(report.errors)).toEqual(['INVALID_FIELD', 'INVALID_FIELD']);
    expect(report.errors.map((e) => e.details?.field).sort()).toEqual(['separator', 'tagColumn']);
  });

  it('checks the shape alone: missing columns and one column used twice', () => {
    const table = textTable(['a'], ['b']);
    expect(applyRules({ ...config, textColumn: 'body' }, shapeOf(table)).report.errors[0]).toMatchObject({ code: 'COLUMN_NOT_FOUND', message: 'The text column "body" is not in the table.' });
    expect(codes(applyRules({ ...config, tagColumn: 'text' }, shapeOf(table)).report.errors)).toContain('SAME_COLUMN');
  });

  it('refuses fewer than 2 tags', () => {
    const { texts, tags } = ticketTexts({ billing: 15 });
    const table = textTable(texts, tags);
    const { report } = applyRules(config, shapeOf(table), table);
    expect(report.errors).toEqual([expect.objectContaining({ code: 'TOO_FEW_TAGS', message: 'At least 2 different tags are needed; the training texts carry only 1 ("billing").' })]);
  });

  it('refuses more than 200 tags', () => {
    const texts = Array.from({ length: 201 }, (_, i) => `text ${i}`);
    const tags = texts.map((_, i) => `tag${i}`);
    const table = textTable(texts, tags);
    const { report } = applyRules(config, shapeOf(table), table);
    expect(report.errors[0]).toMatchObject({ code: 'TOO_MANY_TAGS', message: expect.stringContaining('At most 200 different tags are allowed; the training texts carry 201.') });
  });

  it('leaves out a tag on fewer than 10 distinct texts with a warning naming it and its count', () => {
    const { texts, tags } = ticketTexts({ billing: 12, login: 12, shipping: 9 });
    // A duplicate text does not count twice.
    texts.push(texts[texts.length - 1]);
    tags.push('shipping');
    const table = textTable(texts, tags);
    const { report, prepared } = applyRules(config, shapeOf(table), table);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toContainEqual(expect.objectContaining({ code: 'TAG_TOO_RARE', message: 'Tag "shipping" is on only 9 distinct texts; a tag needs at least 10, so it will not be trained.' }));
    expect(prepared?.tags).toEqual(['billing', 'login']);
    expect(prepared?.untrained).toEqual([{ tag: 'shipping', withTag: 9, withoutTag: 24 }]);
  });

  it('leaves out a tag that fewer than 10 distinct texts lack', () => {
    const { texts } = ticketTexts({ billing: 30 });
    const tags = texts.map((_, i) => (i < 25 ? 'billing;urgent' : i < 28 ? 'billing' : 'urgent'));
    const table = textTable(texts, tags);
    const { report } = applyRules(config, shapeOf(table), table);
    expect(report.warnings.map((w) => w.message)).toContain('Tag "billing" is missing from only 2 distinct texts; a tag needs at least 10 texts without it, so it will not be trained.');
    expect(report.warnings.map((w) => w.message)).toContain('Tag "urgent" is missing from only 3 distinct texts; a tag needs at least 10 texts without it, so it will not be trained.');
    expect(codes(report.errors)).toEqual(['TOO_FEW_TRAINABLE_TAGS']);
  });

  it('fails when fewer than 2 tags have enough texts', () => {
    const { texts, tags } = ticketTexts({ billing: 25, login: 5, shipping: 6 });
    const table = textTable(texts, tags);
    const { report } = applyRules(config, shapeOf(table), table);
    expect(report.errors[0]).toMatchObject({ code: 'TOO_FEW_TRAINABLE_TAGS', message: expect.stringMatching(/^Only 1 tag has enough texts to be trained; at least 2 are needed\./) });
  });

  it('names the rows whose texts are 5,000 characters or longer', () => {
    const { texts, tags } = ticketTexts({ billing: 12, login: 12 });
    texts[3] = 'x'.repeat(5000);
    texts[7] = 'y '.repeat(3000);
    const table = textTable(texts, tags);
    const { report } = applyRules(config, shapeOf(table), table);
    expect(report.errors).toEqual([
      expect.objectContaining({
        code: 'TEXT_TOO_LONG',
        message: 'Texts must be under 5,000 characters; rows 4 and 8 have more (longest 6,000). Shorten them, or allow truncation to cut them to the first 4,999 characters.',
        details: { count: 2, rows: [4, 8] },
      }),
    ]);
  });

  it('cuts long texts with a warning when truncation is allowed', () => {
    const { texts, tags } = ticketTexts({ billing: 12, login: 12 });
    texts[0] = 'z'.repeat(7000);
    const table = textTable(texts, tags);
    const { report, prepared } = applyRules({ ...config, allowTruncation: true }, shapeOf(table), table);
    expect(report.errors).toEqual([]);
    expect(report.warnings[0]).toMatchObject({ code: 'TEXT_TRUNCATED', message: '1 text was 5,000 characters or longer (row 1, longest 7,000) and was cut to the first 4,999 characters.' });
    expect(prepared?.texts[0].length).toBe(4999);
  });

  it('reports rows without text and does not train on them', () => {
    const { texts, tags } = ticketTexts({ billing: 12, login: 12 });
    const table = textTable([...texts, null, '   '], [...tags, 'billing', 'login']);
    const { report, prepared } = applyRules(config, shapeOf(table), table);
    expect(report.warnings[0]).toMatchObject({ code: 'EMPTY_TEXTS', message: '2 rows have no text (rows 25 and 26); they are not used for training or testing.' });
    expect(prepared?.trainRows).not.toContain(24);
    expect(prepared?.trainRows.length).toBe(24);
  });

  it('refuses separators that differ between rows, saying which rows use which', () => {
    const { texts } = ticketTexts({ billing: 24 });
    const tags = texts.map((_, i) => (i === 2 ? 'billing;login' : i === 5 ? 'billing,login' : i % 2 ? 'billing' : 'login'));
    const table = textTable(texts, tags);
    const { report } = applyRules(config, shapeOf(table), table);
    expect(report.errors[0]).toMatchObject({
      code: 'MIXED_SEPARATORS',
      message: 'Tags are separated in different ways: comma in row 6; semicolon in row 3. Use one separator in every row, or choose "no separator" if the tags themselves contain these characters.',
    });
  });

  it('uses the separator the user chose instead of detecting one', () => {
    const { texts } = ticketTexts({ billing: 24 });
    const tags = texts.map((_, i) => (i % 2 ? 'A, B' : 'C; D'));
    const table = textTable(texts, tags);
    const { report, prepared } = applyRules({ ...config, separator: 'none' }, shapeOf(table), table);
    expect(report.errors).toEqual([]);
    expect(prepared?.tags).toEqual(['A, B', 'C; D']);
  });

  it('splits on the split column and refuses values other than train and test', () => {
    const { texts, tags } = ticketTexts({ billing: 16, login: 16 });
    const split: string[] = texts.map((_, i) => (i % 4 === 0 ? 'test' : 'train'));
    const table = textTable(texts, tags, split);
    const { prepared } = applyRules({ ...config, splitColumn: 'split' }, shapeOf(table), table);
    expect(prepared?.testRows).toEqual([0, 4, 8, 12, 16, 20, 24, 28]);
    expect(prepared?.trainRows.length).toBe(24);
    split[1] = 'holdout';
    const { report } = applyRules({ ...config, splitColumn: 'split' }, shapeOf(table), table);
    expect(report.errors[0]).toMatchObject({ code: 'SPLIT_VALUES', message: 'The split column "split" must hold "train" or "test" in every row; row 2 holds something else.' });
  });
});
