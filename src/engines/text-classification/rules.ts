// The data rules of text classification (spec/text-classification.md): checked before training and
// again inside the run. Produces the messages and, when the rows are at hand, the prepared data.
import type { CheckReport, Message, TableShape } from '../seam.js';
import { findColumn, type TableData } from '../../tables/table-data.js';
import {
  MAX_TAGS,
  MAX_TEXT_LENGTH,
  MIN_TAGS,
  MIN_TEXTS_PER_TAG,
  textClassificationConfigurationSchema,
  type Separator,
  type TextClassificationConfiguration,
} from './configuration.js';
import { detectSeparator, separatorName, splitTags } from './separators.js';

/** The rows and tags training will use, once every rule passed. Row numbers are 0-based here. */
export interface PreparedData {
  configuration: TextClassificationConfiguration;
  separator: Separator;
  /** The trained tags, sorted. */
  tags: string[];
  /** Tags left out, with the count that failed the rule. */
  untrained: { tag: string; withTag: number; withoutTag: number }[];
  /** Every training text carries exactly one tag. */
  singleLabel: boolean;
  /** Rows that train the model (have text; 'train' when a split column is given). */
  trainRows: number[];
  /** Rows held out by the split column (have text), or null when the engine must split. */
  testRows: number[] | null;
  /** Text of every row (cut to MAX_TEXT_LENGTH - 1 when truncation is allowed), '' when missing. */
  texts: string[];
  /** Tags of every row as written (before untrained tags are removed). */
  rowTags: string[][];
  rowCount: number;
  withoutText: number;
  truncated: number;
}

export interface RuleOutcome {
  report: CheckReport;
  prepared?: PreparedData;
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/** "rows 3, 8 and 12" or "rows 3, 8, 12, … (40 rows)", 1-based as the user sees them. */
export function describeRows(rows: readonly number[], limit = 5): string {
  const shown = rows.slice(0, limit).map((r) => String(r + 1));
  if (rows.length === 1) return `row ${shown[0]}`;
  if (rows.length <= limit) return `rows ${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
  return `rows ${shown.join(', ')}, … (${fmt(rows.length)} rows)`;
}

const rowList = (rows: readonly number[], limit = 20): number[] => rows.slice(0, limit).map((r) => r + 1);

/** Checks a configuration against a table's shape and, when given, its rows. Never throws. */
export function applyRules(configuration: unknown, shape: TableShape, data?: TableData): RuleOutcome {
  const errors: Message[] = [];
  const warnings: Message[] = [];
  const report = { errors, warnings };
  const parsed = textClassificationConfigurationSchema.safeParse(configuration);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path.join('.') || 'configuration';
      errors.push({ code: 'INVALID_FIELD', message: `${field}: ${issue.message}`, details: { field } });
    }
    return { report };
  }
  const config = parsed.data;
  if (config.tableId !== shape.tableId) {
    errors.push({ code: 'TABLE_MISMATCH', message: `The configuration is for table ${config.tableId}, not ${shape.tableId}.` });
  }
  const columnOf = (name: string) => shape.columns.find((c) => c.name === name);
  const text = columnOf(config.textColumn);
  if (!text) errors.push({ code: 'COLUMN_NOT_FOUND', column: config.textColumn, message: `The text column "${config.textColumn}" is not in the table.` });
  else if (text.type !== 'text' && text.type !== 'category') {
    errors.push({ code: 'COLUMN_TYPE', column: config.textColumn, message: `The text column "${config.textColumn}" holds ${text.type} values; choose a text column.` });
  }
  const tag = columnOf(config.tagColumn);
  if (!tag) errors.push({ code: 'COLUMN_NOT_FOUND', column: config.tagColumn, message: `The tag column "${config.tagColumn}" is not in the table.` });
  else if (tag.type !== 'text' && tag.type !== 'category') {
    errors.push({ code: 'COLUMN_TYPE', column: config.tagColumn, message: `The tag column "${config.tagColumn}" holds ${tag.type} values; choose a text or category column.` });
  }
  if (config.textColumn === config.tagColumn) {
    errors.push({ code: 'SAME_COLUMN', column: config.tagColumn, message: 'The text column and the tag column must be different columns.' });
  }
  if (config.splitColumn !== undefined) {
    const split = columnOf(config.splitColumn);
    if (!split) errors.push({ code: 'COLUMN_NOT_FOUND', column: config.splitColumn, message: `The split column "${config.splitColumn}" is not in the table.` });
    else if ([config.textColumn, config.tagColumn].includes(config.splitColumn)) {
      errors.push({ code: 'SAME_COLUMN', column: config.splitColumn, message: 'The split column must differ from the text and tag columns.' });
    }
  }
  if (errors.length > 0 || !data) return { report };
  return checkRows(config, data, report);
}

function stringsOf(data: TableData, name: string): (string | null)[] {
  const column = findColumn(data, name);
  if (!column || (column.type !== 'text' && column.type !== 'category')) throw new Error(`column ${name} is not a string column`);
  return column.values;
}

function checkRows(config: TextClassificationConfiguration, data: TableData, report: CheckReport): RuleOutcome {
  const { errors, warnings } = report;
  const textCells = stringsOf(data, config.textColumn);
  const tagCells = stringsOf(data, config.tagColumn);
  const n = data.rowCount;

  // Which rows train and which test.
  let inTrain: (r: number) => boolean = () => true;
  let testRows: number[] | null = null;
  if (config.splitColumn !== undefined) {
    const split = stringsOf(data, config.splitColumn);
    const bad: number[] = [];
    for (let r = 0; r < n; r++) if (split[r] !== 'train' && split[r] !== 'test') bad.push(r);
    if (bad.length > 0) {
      errors.push({
        code: 'SPLIT_VALUES',
        column: config.splitColumn,
        message: `The split column "${config.splitColumn}" must hold "train" or "test" in every row; ${describeRows(bad)} ${bad.length === 1 ? 'holds' : 'hold'} something else.`,
        details: { rows: rowList(bad) },
      });
    }
    inTrain = (r) => split[r] === 'train';
    testRows = [];
    for (let r = 0; r < n; r++) if (split[r] === 'test' && hasText(textCells[r])) testRows.push(r);
  }

  // Texts: missing, too long.
  const texts: string[] = new Array(n);
  const empty: number[] = [];
  const tooLong: number[] = [];
  for (let r = 0; r < n; r++) {
    const t = textCells[r];
    if (!hasText(t)) {
      empty.push(r);
      texts[r] = '';
      continue;
    }
    if (t.length >= MAX_TEXT_LENGTH) {
      tooLong.push(r);
      texts[r] = config.allowTruncation ? t.slice(0, MAX_TEXT_LENGTH - 1) : t;
    } else texts[r] = t;
  }
  if (empty.length > 0) {
    warnings.push({
      code: 'EMPTY_TEXTS',
      column: config.textColumn,
      message: `${fmt(empty.length)} ${empty.length === 1 ? 'row has' : 'rows have'} no text (${describeRows(empty)}); ${empty.length === 1 ? 'it is' : 'they are'} not used for training or testing.`,
      details: { count: empty.length, rows: rowList(empty) },
    });
  }
  if (tooLong.length > 0) {
    const longest = tooLong.reduce((m, r) => Math.max(m, (textCells[r] as string).length), 0);
    if (config.allowTruncation) {
      warnings.push({
        code: 'TEXT_TRUNCATED',
        column: config.textColumn,
        message: `${fmt(tooLong.length)} ${tooLong.length === 1 ? 'text was' : 'texts were'} ${fmt(MAX_TEXT_LENGTH)} characters or longer (${describeRows(tooLong)}, longest ${fmt(longest)}) and ${tooLong.length === 1 ? 'was' : 'were'} cut to the first ${fmt(MAX_TEXT_LENGTH - 1)} characters.`,
        details: { count: tooLong.length, rows: rowList(tooLong) },
      });
    } else {
      errors.push({
        code: 'TEXT_TOO_LONG',
        column: config.textColumn,
        message: `Texts must be under ${fmt(MAX_TEXT_LENGTH)} characters; ${describeRows(tooLong)} ${tooLong.length === 1 ? 'has' : 'have'} more (longest ${fmt(longest)}). Shorten ${tooLong.length === 1 ? 'it' : 'them'}, or allow truncation to cut ${tooLong.length === 1 ? 'it' : 'them'} to the first ${fmt(MAX_TEXT_LENGTH - 1)} characters.`,
        details: { count: tooLong.length, rows: rowList(tooLong) },
      });
    }
  }

  const trainRows: number[] = [];
  for (let r = 0; r < n; r++) if (hasText(textCells[r]) && inTrain(r)) trainRows.push(r);
  if (trainRows.length === 0) {
    errors.push({ code: 'NO_TRAINING_TEXTS', column: config.textColumn, message: 'No row has both a text and a place in the training part of the table.' });
    return { report };
  }
  if (testRows !== null && testRows.length === 0) {
    errors.push({ code: 'NO_TEST_TEXTS', column: config.splitColumn, message: `No row with a text is marked "test" in the split column "${config.splitColumn}".` });
  }

  // Separator: the user's choice, or the one the (text-bearing) rows use.
  let separator: Separator;
  if (config.separator !== undefined) separator = config.separator;
  else {
    const scanRows = [...trainRows, ...(testRows ?? [])].sort((a, b) => a - b);
    const detected = detectSeparator(tagCells, scanRows);
    separator = detected.separator;
    if (detected.mixed) {
      const parts = detected.mixed.map((m) => `${m.name} in ${describeRows(m.rows, 3)}`);
      errors.push({
        code: 'MIXED_SEPARATORS',
        column: config.tagColumn,
        message: `Tags are separated in different ways: ${parts.join('; ')}. Use one separator in every row, or choose "no separator" if the tags themselves contain these characters.`,
        details: { separators: detected.mixed.map((m) => ({ separator: m.separator, rows: rowList(m.rows) })) },
      });
    }
  }
  const rowTags: string[][] = tagCells.map((cell) => splitTags(cell, separator));

  // Tag counts over distinct training texts: with the tag, and without it.
  const byText = new Map<string, { rows: number; tags: Map<string, number> }>();
  let singleLabel = true;
  const untagged: number[] = [];
  for (const r of trainRows) {
    const tags = rowTags[r];
    if (tags.length !== 1) singleLabel = false;
    if (tags.length === 0) untagged.push(r);
    let entry = byText.get(texts[r]);
    if (!entry) byText.set(texts[r], (entry = { rows: 0, tags: new Map() }));
    entry.rows++;
    for (const t of tags) entry.tags.set(t, (entry.tags.get(t) ?? 0) + 1);
  }
  const withTag = new Map<string, number>();
  const alwaysWith = new Map<string, number>();
  for (const entry of byText.values()) {
    for (const [t, count] of entry.tags) {
      withTag.set(t, (withTag.get(t) ?? 0) + 1);
      if (count === entry.rows) alwaysWith.set(t, (alwaysWith.get(t) ?? 0) + 1);
    }
  }
  const distinctTexts = byText.size;
  const allTags = [...withTag.keys()].sort();
  if (allTags.length < MIN_TAGS) {
    errors.push({
      code: 'TOO_FEW_TAGS',
      column: config.tagColumn,
      message: `At least ${MIN_TAGS} different tags are needed; the training texts carry ${allTags.length === 0 ? 'none' : `only ${allTags.length} ("${allTags[0]}")`}.`,
      details: { count: allTags.length },
    });
  } else if (allTags.length > MAX_TAGS) {
    errors.push({
      code: 'TOO_MANY_TAGS',
      column: config.tagColumn,
      message: `At most ${MAX_TAGS} different tags are allowed; the training texts carry ${fmt(allTags.length)}. Merge similar tags, or check the separator (now: ${separatorName(separator)}).`,
      details: { count: allTags.length },
    });
  }
  const tags: string[] = [];
  const untrained: PreparedData['untrained'] = [];
  for (const t of allTags) {
    const withCount = withTag.get(t) ?? 0;
    const withoutCount = distinctTexts - (alwaysWith.get(t) ?? 0);
    if (withCount < MIN_TEXTS_PER_TAG) {
      untrained.push({ tag: t, withTag: withCount, withoutTag: withoutCount });
      warnings.push({
        code: 'TAG_TOO_RARE',
        column: config.tagColumn,
        message: `Tag "${t}" is on only ${withCount} distinct ${withCount === 1 ? 'text' : 'texts'}; a tag needs at least ${MIN_TEXTS_PER_TAG}, so it will not be trained.`,
        details: { tag: t, count: withCount },
      });
    } else if (withoutCount < MIN_TEXTS_PER_TAG) {
      untrained.push({ tag: t, withTag: withCount, withoutTag: withoutCount });
      warnings.push({
        code: 'TAG_TOO_COMMON',
        column: config.tagColumn,
        message: `Tag "${t}" is missing from only ${withoutCount} distinct ${withoutCount === 1 ? 'text' : 'texts'}; a tag needs at least ${MIN_TEXTS_PER_TAG} texts without it, so it will not be trained.`,
        details: { tag: t, count: withoutCount },
      });
    } else tags.push(t);
  }
  if (allTags.length >= MIN_TAGS && allTags.length <= MAX_TAGS && tags.length < MIN_TAGS) {
    errors.push({
      code: 'TOO_FEW_TRAINABLE_TAGS',
      column: config.tagColumn,
      message: `Only ${tags.length} ${tags.length === 1 ? 'tag has' : 'tags have'} enough texts to be trained; at least ${MIN_TAGS} are needed. Each tag needs ${MIN_TEXTS_PER_TAG} distinct texts with it and ${MIN_TEXTS_PER_TAG} without it.`,
      details: { trainable: tags },
    });
  }
  if (untagged.length > 0 && allTags.length >= MIN_TAGS) {
    warnings.push({
      code: 'UNTAGGED_TEXTS',
      column: config.tagColumn,
      message: `${fmt(untagged.length)} training ${untagged.length === 1 ? 'text has' : 'texts have'} no tag (${describeRows(untagged)}); the model learns from ${untagged.length === 1 ? 'it' : 'them'} when no tag applies.`,
      details: { count: untagged.length, rows: rowList(untagged) },
    });
  }
  if (errors.length > 0) return { report };
  return {
    report,
    prepared: {
      configuration: config,
      separator,
      tags,
      untrained,
      singleLabel,
      trainRows,
      testRows,
      texts,
      rowTags,
      rowCount: n,
      withoutText: empty.length,
      truncated: config.allowTruncation ? tooLong.length : 0,
    },
  };
}

function hasText(t: string | null): t is string {
  return t !== null && t.trim() !== '';
}
