// Small tables for the text classification tests: tagged texts built from a few topics.
import type { TableData } from '../../tables/table-data.js';
import type { TableShape } from '../seam.js';

/** A table with columns text, tags (and split when given); `null` cells stay missing. */
export function textTable(texts: (string | null)[], tags: (string | null)[], split?: (string | null)[]): TableData {
  const columns: TableData['columns'] = [
    { name: 'text', type: 'text', values: texts },
    { name: 'tags', type: 'category', values: tags },
  ];
  if (split) columns.push({ name: 'split', type: 'category', values: split });
  return { tableId: 't1', name: 'tickets', revision: 1, digest: '', rowCount: texts.length, columns };
}

export function shapeOf(table: TableData): TableShape {
  return { tableId: table.tableId, name: table.name, rowCount: table.rowCount, columns: table.columns.map((c) => ({ name: c.name, type: c.type })) };
}

const WORDS: Record<string, string[]> = {
  billing: ['invoice', 'refund', 'charge', 'payment', 'bill', 'price'],
  login: ['password', 'login', 'account', 'locked', 'reset', 'username'],
  shipping: ['parcel', 'delivery', 'courier', 'tracking', 'shipped', 'late'],
};

/** `perTag` distinct texts for each tag (single tag per text), words picked deterministically. */
export function ticketTexts(perTag: Record<string, number>): { texts: string[]; tags: string[] } {
  const texts: string[] = [];
  const tags: string[] = [];
  for (const [tag, count] of Object.entries(perTag)) {
    const words = WORDS[tag] ?? [tag];
    for (let i = 0; i < count; i++) {
      texts.push(`ticket ${i} about my ${words[i % words.length]} and ${words[(i * 5 + 1) % words.length]} please help`);
      tags.push(tag);
    }
  }
  return { texts, tags };
}
