// Content digests of table revisions: sha256 over rows and column types, chained from revision to revision.
import { createHash, type Hash } from 'node:crypto';

const VERSION = 'lathe-table-digest/1';

/**
 * How a revision came to be. `rows`: a full row set (import, replace); `append`: the previous digest
 * plus only the new rows; `retype`: the previous digest plus the new column types (same rows).
 * Chaining means an append hashes only what it adds, and a digest identifies the content's lineage.
 */
export type DigestKind = 'rows' | 'append' | 'retype';

export class RevisionDigest {
  private readonly hash: Hash;
  constructor(kind: DigestKind, previous: string | null) {
    this.hash = createHash('sha256');
    this.hash.update(`${VERSION}\n${kind}\n${previous ?? ''}\n`);
  }
  /** Adds one row given as the JSON array of its raw cell strings (the form stored in chunks). */
  addRow(rowJson: string): void {
    this.hash.update(rowJson);
    this.hash.update('\n');
  }
  /** Adds the columns' names and final types and returns the hex digest. */
  finish(columns: { name: string; type: string }[]): string {
    this.hash.update('columns\n');
    this.hash.update(JSON.stringify(columns.map((c) => [c.name, c.type])));
    return this.hash.digest('hex');
  }
}
