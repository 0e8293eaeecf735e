// Helpers of the API tests: small CSV tables, table import over HTTP, a raw server-sent-events reader.
import { fileURLToPath } from 'node:url';
import type { LatheClient } from '../../src/client/index.js';
import type { RunReply } from '../../src/client/models.js';

/** The one-split stump learner registered as the `prediction` type, so lifecycle tests train in milliseconds. */
export const STUMP_ENGINE = fileURLToPath(new URL('../../src/training/test-support/stump-engine.ts', import.meta.url));

/** `n` rows: x = 0..n-1, colour cycles red/green/blue, y = 'high' when x >= n/2 else 'low'. */
export function thresholdCsv(n: number): string {
  const lines = ['x,colour,y'];
  for (let i = 0; i < n; i++) lines.push(`${i},${['red', 'green', 'blue'][i % 3]},${i >= n / 2 ? 'high' : 'low'}`);
  return lines.join('\n') + '\n';
}

/** Imports a CSV through the tables API and returns the new table's id. */
export async function importCsv(client: LatheClient, name: string, csv: string): Promise<string> {
  return (await client.tables.upload(csv, { name })).id;
}

export interface SseEvent {
  event: string;
  data: RunReply;
}

/** Reads a whole event stream (until the server closes it) with plain fetch. */
export async function readSse(url: string): Promise<SseEvent[]> {
  const res = await fetch(url, { headers: { accept: 'text/event-stream' } });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
  if (!res.headers.get('content-type')?.startsWith('text/event-stream')) throw new Error('not an event stream');
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((frame) => frame.trim() && !frame.startsWith(':'))
    .map((frame) => {
      const lines = frame.split('\n');
      const event = lines.find((l) => l.startsWith('event:'))?.slice(6).trim() ?? 'message';
      const data = lines
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).replace(/^ /, ''))
        .join('\n');
      return { event, data: JSON.parse(data) as RunReply };
    });
}
