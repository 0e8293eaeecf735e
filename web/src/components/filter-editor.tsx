// The optional row filter of a prediction model: conditions (column / operator / value) in and/or groups.
import { useState } from 'react';
import type { ColumnType } from '../api.js';

export type Condition = { column: string; operator: string; value?: string | number | boolean | (string | number | boolean)[] };
export type Filter = Condition | { and: Filter[] } | { or: Filter[] };
type Group = { and: Filter[] } | { or: Filter[] };

const OPERATORS = ['equals', 'not equals', '<', '<=', '>', '>=', 'contains', 'is empty', 'is not empty', 'is one of'];
const NO_VALUE = new Set(['is empty', 'is not empty']);

const isGroup = (f: Filter): f is Group => 'and' in f || 'or' in f;
const childrenOf = (g: Group): Filter[] => ('and' in g ? g.and : g.or);
const withChildren = (g: Group, c: Filter[]): Group => ('and' in g ? { and: c } : { or: c });

/** Drops conditions without a column and empty groups, so a half-filled row is never saved. */
export function cleanFilter(f: Filter | undefined): Filter | undefined {
  if (!f) return undefined;
  if (!isGroup(f)) return f.column ? f : undefined;
  const kept = childrenOf(f)
    .map(cleanFilter)
    .filter((x): x is Filter => x !== undefined);
  if (kept.length === 0) return undefined;
  return withChildren(f, kept);
}

export function FilterEditor({
  filter,
  columns,
  onChange,
}: {
  filter: Filter | undefined;
  columns: { name: string; type: ColumnType }[];
  onChange: (f: Filter | undefined) => void;
}) {
  const root: Group = filter ? (isGroup(filter) ? filter : { and: [filter] }) : { and: [] };
  return <GroupEditor group={root} columns={columns} onChange={(g) => onChange(g)} depth={0} />;
}

function GroupEditor({
  group,
  columns,
  onChange,
  onRemove,
  depth,
}: {
  group: Group;
  columns: { name: string; type: ColumnType }[];
  onChange: (g: Group) => void;
  onRemove?: () => void;
  depth: number;
}) {
  const items = childrenOf(group);
  const set = (i: number, f: Filter) => onChange(withChildren(group, items.map((x, j) => (j === i ? f : x))));
  const remove = (i: number) => onChange(withChildren(group, items.filter((_, j) => j !== i)));
  const mode = 'and' in group ? 'and' : 'or';
  return (
    <fieldset className={`filter-group depth-${depth}`}>
      <legend>
        <label>
          Rows must match
          <select value={mode} onChange={(e) => onChange(e.target.value === 'and' ? { and: items } : { or: items })}>
            <option value="and">all of these conditions</option>
            <option value="or">any of these conditions</option>
          </select>
        </label>
      </legend>
      {items.length === 0 && <p className="muted">No condition: every row is used.</p>}
      {items.map((f, i) =>
        isGroup(f) ? (
          <GroupEditor key={i} group={f} columns={columns} depth={depth + 1} onChange={(g) => set(i, g)} onRemove={() => remove(i)} />
        ) : (
          <ConditionRow key={i} index={i} condition={f} columns={columns} onChange={(c) => set(i, c)} onRemove={() => remove(i)} />
        ),
      )}
      <div className="buttons">
        <button type="button" onClick={() => onChange(withChildren(group, [...items, { column: '', operator: 'equals', value: '' }]))}>
          Add condition
        </button>
        {depth < 2 && (
          <button type="button" onClick={() => onChange(withChildren(group, [...items, { or: [{ column: '', operator: 'equals', value: '' }] }]))}>
            Add group
          </button>
        )}
        {onRemove && (
          <button type="button" onClick={onRemove}>
            Remove group
          </button>
        )}
      </div>
    </fieldset>
  );
}

function ConditionRow({
  index,
  condition,
  columns,
  onChange,
  onRemove,
}: {
  index: number;
  condition: Condition;
  columns: { name: string; type: ColumnType }[];
  onChange: (c: Condition) => void;
  onRemove: () => void;
}) {
  const type = columns.find((c) => c.name === condition.column)?.type;
  // The typed text is kept as typed: parsing it back on every key would eat a trailing comma.
  const [text, setText] = useState(
    Array.isArray(condition.value) ? condition.value.join(', ') : condition.value === undefined ? '' : String(condition.value),
  );
  function setValue(raw: string) {
    setText(raw);
    const one = (s: string): string | number => (type === 'number' && s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s.trim());
    onChange({ ...condition, value: condition.operator === 'is one of' ? raw.split(',').map(one).filter((x) => x !== '') : one(raw) });
  }
  return (
    <div className="condition">
      <label>
        Column
        <select value={condition.column} onChange={(e) => onChange({ ...condition, column: e.target.value })} aria-label={`Column of condition ${index + 1}`}>
          <option value="">Choose…</option>
          {columns.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Operator
        <select
          value={condition.operator}
          aria-label={`Operator of condition ${index + 1}`}
          onChange={(e) => {
            const operator = e.target.value;
            onChange(NO_VALUE.has(operator) ? { column: condition.column, operator } : { ...condition, operator, value: condition.value ?? '' });
          }}
        >
          {OPERATORS.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      </label>
      {!NO_VALUE.has(condition.operator) && (
        <label>
          Value{condition.operator === 'is one of' ? 's (comma separated)' : ''}
          <input value={text} onChange={(e) => setValue(e.target.value)} aria-label={`Value of condition ${index + 1}`} />
        </label>
      )}
      <button type="button" onClick={onRemove} aria-label={`Remove condition ${index + 1}`}>
        Remove
      </button>
    </div>
  );
}

/** The filter as a sentence, e.g. "embarked is not empty and (age < 18 or sex equals female)". */
export function filterText(f: Filter | undefined, nested = false): string {
  if (!f) return '';
  if (isGroup(f)) {
    const parts = childrenOf(f).map((c) => filterText(c, true));
    const text = parts.join('and' in f ? ' and ' : ' or ');
    return nested && parts.length > 1 ? `(${text})` : text;
  }
  if (NO_VALUE.has(f.operator)) return `${f.column} ${f.operator}`;
  return `${f.column} ${f.operator} ${Array.isArray(f.value) ? f.value.join(', ') : String(f.value ?? '')}`;
}
