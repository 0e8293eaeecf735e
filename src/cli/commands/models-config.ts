// Editing a draft configuration from the command line: `--set key=value`, `key:=json`, `--unset key`.

/**
 * Reads a `--set` value. `key:=<json>` always parses JSON; `key=value` parses JSON arrays, objects,
 * true/false/null, and keeps everything else a string, so `positive=1` stays the outcome "1".
 * A number is read as a number only where the current configuration already holds a number.
 */
export function parseAssignment(text: string, current: Record<string, unknown>): { path: string[]; value: unknown } {
  const json = text.match(/^([^=:]+):=(.*)$/s);
  const plain = json ? null : text.match(/^([^=]+)=(.*)$/s);
  const m = json ?? plain;
  if (!m) throw new Error(`"${text}" is not an assignment: write key=value (or key:=<json> for JSON values).`);
  const path = m[1].trim().split('.').filter(Boolean);
  if (path.length === 0) throw new Error(`"${text}" has no key before "=".`);
  const raw = m[2];
  if (json) {
    try {
      return { path, value: JSON.parse(raw) };
    } catch {
      throw new Error(`The value of ${m[1]} is not valid JSON: ${raw}`);
    }
  }
  const trimmed = raw.trim();
  if (/^[[{]/.test(trimmed) || ['true', 'false', 'null'].includes(trimmed)) {
    try {
      return { path, value: JSON.parse(trimmed) };
    } catch {
      /* not JSON after all: keep the text */
    }
  }
  if (typeof getPath(current, path) === 'number' && trimmed !== '' && Number.isFinite(Number(trimmed))) {
    return { path, value: Number(trimmed) };
  }
  return { path, value: raw };
}

function getPath(obj: Record<string, unknown>, path: string[]): unknown {
  let at: unknown = obj;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** A copy of `obj` with `value` at `path` (undefined removes the key). */
export function setPath(obj: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  const copy = { ...obj };
  if (rest.length === 0) {
    if (value === undefined) delete copy[head];
    else copy[head] = value;
    return copy;
  }
  const child = copy[head];
  copy[head] = setPath(child !== null && typeof child === 'object' && !Array.isArray(child) ? (child as Record<string, unknown>) : {}, rest, value);
  return copy;
}

/** Applies `--configuration` (replaces), then each `--set`, then each `--unset`. */
export function editConfiguration(
  current: Record<string, unknown>,
  edits: { configuration?: string; set?: string[]; unset?: string[] },
): Record<string, unknown> {
  let next = current;
  if (edits.configuration !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(edits.configuration);
    } catch {
      throw new Error('--configuration must be a JSON object, e.g. \'{"tableId":"t_1","target":"churn"}\'.');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('--configuration must be a JSON object.');
    next = parsed as Record<string, unknown>;
  }
  for (const s of edits.set ?? []) {
    const { path, value } = parseAssignment(s, next);
    next = setPath(next, path, value);
  }
  for (const key of edits.unset ?? []) next = setPath(next, key.split('.').filter(Boolean), undefined);
  return next;
}

/** Maps the CLI's slot words to the API's: published, last (lastTrained). */
export function slotOf(word: string | undefined): 'published' | 'lastTrained' | undefined {
  if (word === undefined) return undefined;
  const w = word.toLowerCase().replace(/[-_ ]/g, '');
  if (w === 'published') return 'published';
  if (w === 'last' || w === 'lasttrained') return 'lastTrained';
  throw new Error(`"${word}" is not a version slot: use published or last.`);
}
