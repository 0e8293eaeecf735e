// Client calls of /api/models and /api/runs. (Placeholder: the models area fills this in.)
import type { Http } from './http.js';

export function modelsClient(http: Http) {
  return { http };
}
