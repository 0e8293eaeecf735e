// The one schema of a text classification model's configuration (API, CLI, form and training share it).
import { z } from 'zod';

/** How several tags share one cell: comma, semicolon, tab, or never split ("no separator"). */
export const SEPARATORS = [',', ';', '\t', 'none'] as const;
export type Separator = (typeof SEPARATORS)[number];

export const textClassificationConfigurationSchema = z.object({
  tableId: z.string().min(1),
  /** The column holding the texts. */
  textColumn: z.string().min(1),
  /** The column holding each text's tags (one or more per cell, or none). */
  tagColumn: z.string().min(1),
  /** Detected from the data when absent. */
  separator: z.enum(SEPARATORS).optional(),
  /** Informational: the learner works in any language. */
  language: z.string().optional(),
  /** Cut texts of 5,000 characters or more (with a warning) instead of refusing to train. */
  allowTruncation: z.boolean().optional(),
  /** A column whose values 'train' / 'test' fix the test split (Lathe); never a feature. */
  splitColumn: z.string().min(1).optional(),
});
export type TextClassificationConfiguration = z.infer<typeof textClassificationConfigurationSchema>;

/** Texts must be shorter than this many characters (UTF-16 code units, as the user's editor counts). */
export const MAX_TEXT_LENGTH = 5000;
export const MIN_TAGS = 2;
export const MAX_TAGS = 200;
/** A tag needs this many distinct texts with it and as many without it to be trained. */
export const MIN_TEXTS_PER_TAG = 10;
