// Tag separators: detection over a column's cells, the mixed-separator report, and splitting a cell.
import type { Separator } from './configuration.js';

const CANDIDATES: { char: ',' | ';' | '\t'; name: string }[] = [
  { char: ',', name: 'comma' },
  { char: ';', name: 'semicolon' },
  { char: '\t', name: 'tab' },
];

export const separatorName = (s: Separator): string => (s === 'none' ? 'no separator' : (CANDIDATES.find((c) => c.char === s)?.name ?? s));

export interface SeparatorDetection {
  separator: Separator;
  /** Set when more than one separator occurs: the (0-based) rows that use each. */
  mixed?: { separator: ',' | ';' | '\t'; name: string; rows: number[] }[];
}

/** Finds the one separator the cells use; `rows` limits the scan (default: every row). */
export function detectSeparator(cells: readonly (string | null)[], rows?: readonly number[]): SeparatorDetection {
  const used = CANDIDATES.map((c) => ({ separator: c.char, name: c.name, rows: [] as number[] }));
  const scan = rows ?? cells.map((_, i) => i);
  for (const r of scan) {
    const cell = cells[r];
    if (!cell) continue;
    for (const u of used) if (cell.includes(u.separator)) u.rows.push(r);
  }
  const present = used.filter((u) => u.rows.length > 0);
  if (present.length === 0) return { separator: 'none' };
  if (present.length === 1) return { separator: present[0].separator };
  return { separator: present[0].separator, mixed: present };
}

/** The tags of one cell: split, trimmed, empty pieces dropped, duplicates removed (first kept). */
export function splitTags(cell: string | null, separator: Separator): string[] {
  if (cell === null) return [];
  const pieces = separator === 'none' ? [cell] : cell.split(separator);
  const out: string[] = [];
  for (const p of pieces) {
    const tag = p.trim();
    if (tag !== '' && !out.includes(tag)) out.push(tag);
  }
  return out;
}
