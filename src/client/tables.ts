// Client calls of /api/tables. (Placeholder: the tables area fills this in.)
import type { Http } from './http.js';

export function tablesClient(http: Http) {
  return { http };
}
