// Database tables that hold user tables: their revisions and row chunks. (Owned by the tables area.)

export interface TablesSchema {
  /** One row per user table. */
  lathe_tables: {
    id: string;
    /** 1-100 characters, unique among all tables (pending ones included). */
    name: string;
    /** 'pending' while its first import runs (invisible to readers), then 'ready'. */
    state: 'pending' | 'ready';
    /** Latest revision; 0 while pending. */
    current_revision: number;
    created_at: string;
    updated_at: string;
    /** Held by the one writer changing the table's rows; null when free. Stale after LOCK_STALE_MS. */
    lock_token: string | null;
    /** When the lock holder last showed life (ISO time); a heartbeat per chunk. */
    lock_at: string | null;
  };
  /** Every revision ever made; never updated after insert. */
  lathe_table_revisions: {
    table_id: string;
    revision: number;
    /** What made it: 'import' | 'append' | 'replace' | 'retype'. */
    kind: string;
    /** The chunk set it reads (the revision that created the set: import and replace start a new one). */
    set_id: number;
    /** Chunks 0..chunk_count-1 of the set make up this revision's rows, in order. */
    chunk_count: number;
    row_count: number;
    /** Rows added by this revision (all rows for import/replace, 0 for retype). */
    rows_added: number;
    /** JSON [{name, type, inferredType}] in column order. */
    columns: string;
    /** sha256 hex, chained (see src/tables/digest.ts). */
    digest: string;
    created_at: string;
  };
  /** Immutable blocks of rows; appends add chunks, nothing rewrites one. */
  lathe_table_chunks: {
    table_id: string;
    set_id: number;
    seq: number;
    /** 0-based index of the chunk's first row within its set. */
    first_row: number;
    row_count: number;
    /** JSON array of rows, each an array of raw cell strings ("" = missing). */
    data: string;
  };
}
