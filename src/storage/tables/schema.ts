// Database tables that hold user tables: their revisions and row chunks. (Owned by the tables area.)

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface TablesSchema {}
