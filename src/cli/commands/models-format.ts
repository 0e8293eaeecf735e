// Human-readable text of models, versions, runs, history and predictions for the `lathe` command.
import type { ComparisonReply, HistoryReply, ModelReply, QuickTestReply, RunReply, VersionReply } from '../../client/models.js';
import { table } from '../output.js';

const day = (iso: string | null | undefined) => (iso ? iso.replace('T', ' ').slice(0, 16) : '');
const num = (x: unknown, digits = 3) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '');

/** "grade B (accuracy 0.812)" or "score 87/100". */
export function scoreText(score: Record<string, unknown> | undefined): string {
  if (!score) return '';
  if (score.kind === 'grade') return `grade ${String(score.grade)} (${String(score.metric)} ${num(score.value)})`;
  if (score.kind === 'score') return `score ${num(score.value, 0)}/100`;
  return '';
}

export function versionLine(v: VersionReply): string {
  const rows = v.rows.total ?? v.table.rowCount;
  return `v${v.version}  ${scoreText(v.score)}  trained ${day(v.trainedAt)} by ${v.trainedBy} on "${v.table.name}" rev ${v.table.revision} (${rows} rows)`;
}

export function runLine(run: RunReply): string {
  const pct = `${Math.round(run.progress * 100)}%`;
  const tail = run.status === 'failed' && run.error ? `: ${run.error}` : run.version !== null ? ` → v${run.version}` : '';
  return `run ${run.id}  ${run.kind}  ${run.status}  ${pct}  ${run.stage}${tail}`;
}

const configText = (c: Record<string, unknown>) =>
  Object.entries(c)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('  ') || '(empty)';

/** The `lathe` command of each lifecycle action the API reports as allowed. */
const COMMAND_OF: Record<string, string> = {
  editDraft: 'draft',
  resumeDraft: 'draft',
  discardDraft: 'draft --discard',
  newVersion: 'new-version',
  train: 'train',
  retrain: 'retrain',
  cancel: 'cancel',
  publish: 'publish',
  unpublish: 'unpublish',
  rollback: 'rollback',
  rename: 'rename',
  delete: 'delete',
  quickTest: 'quick-test',
  predict: 'predict',
};

export function modelText(m: ModelReply): string {
  const out = [`${m.name}  (${m.type}, id ${m.id}, owner ${m.owner})`];
  if (m.description) out.push(`  ${m.description}`);
  out.push(`Published:     ${m.published ? versionLine(m.published) : '—'}`);
  out.push(`Last trained:  ${m.lastTrained ? versionLine(m.lastTrained) : '—'}`);
  if (m.draft) {
    const base = m.draft.basedOn !== null ? `based on v${m.draft.basedOn}, ` : '';
    out.push(`Draft:         ${base}saved ${day(m.draft.updatedAt)}`);
    out.push(`  configuration: ${configText(m.draft.configuration)}`);
    const { errors, warnings } = m.draft.validation;
    if (errors.length === 0) out.push('  ready to train');
    for (const e of errors) out.push(`  error: ${e.message}`);
    for (const w of warnings) out.push(`  warning: ${w.message}`);
  } else {
    out.push('Draft:         —');
  }
  if (m.activeRun) out.push(`Training:      ${runLine(m.activeRun)}`);
  if (m.lastRunOutcome) out.push(`Last run:      ${m.lastRunOutcome.status}: ${m.lastRunOutcome.message}`);
  if (m.rollbackVersions.length) out.push(`Roll back to:  ${m.rollbackVersions.map((v) => `v${v}`).join(', ')}`);
  for (const w of m.warnings) out.push(`Warning: ${w.message}`);
  for (const [slot, v] of [['published', m.published], ['last trained', m.lastTrained]] as const) {
    if (!v) continue;
    if (v.score.message) out.push(`About the ${slot} version: ${String(v.score.message)}`);
    for (const w of v.warnings) out.push(`  warning: ${w.message}`);
    if (v.influence.length) {
      out.push(`  most influential: ${v.influence.slice(0, 5).map((i) => `${i.column} ${Math.round(i.share * 100)}%`).join(', ')}`);
    }
  }
  const allowed = Object.entries(m.actions)
    .filter(([, a]) => a.allowed)
    .map(([name]) => COMMAND_OF[name] ?? name);
  out.push(`Can do now:    ${[...new Set(allowed)].join(', ')}`);
  return out.join('\n');
}

export function modelsTable(models: ModelReply[]): string {
  if (models.length === 0) return 'No models yet. Create one with `lathe models create NAME --type prediction --table ID --target COLUMN`.';
  return table(
    ['ID', 'NAME', 'TYPE', 'PUBLISHED', 'LAST TRAINED', 'DRAFT', 'TRAINING'],
    models.map((m) => [
      m.id,
      m.name,
      m.type,
      m.published ? `v${m.published.version} ${scoreText(m.published.score)}` : '',
      m.lastTrained ? `v${m.lastTrained.version} ${scoreText(m.lastTrained.score)}` : '',
      m.draft ? (m.draft.validation.errors.length ? 'yes (not ready)' : 'yes') : '',
      m.activeRun ? `${m.activeRun.status} ${Math.round(m.activeRun.progress * 100)}%` : '',
    ]),
  );
}

export function historyText(h: HistoryReply): string {
  const versions = table(
    ['VERSION', 'KIND', 'STATUS', 'TRAINED', 'SCORE', 'ROWS', 'TABLE REV'],
    h.versions.map((v) => [`v${v.version}`, v.kind, v.status, day(v.trainedAt), scoreText(v.score), v.rows.total ?? '', v.table.revision]),
  );
  const events = table(
    ['AT', 'WHO', 'EVENT', 'VERSION', 'WHAT'],
    h.events.map((e) => [day(e.at), e.actor, e.type, e.version === null ? '' : `v${e.version}`, e.message]),
  );
  return `Versions\n${h.versions.length ? versions : '(none yet)'}\n\nEvents\n${events}`;
}

/** The three outputs of one prediction as text: prediction, probability, explanation. */
export function predictionCells(result: Record<string, unknown>): { prediction: string; probability: string; explanation: string } {
  // Text classification: assigned tags, the top tag's confidence, the terms behind each assigned tag.
  if (Array.isArray(result.tags)) {
    const tags = result.tags as { tag: string; confidence: number }[];
    const assigned = Array.isArray(result.assigned) ? (result.assigned as string[]) : [];
    const top = tags.find((t) => t.tag === result.topTag) ?? tags[0];
    const contributions = (result.contributions ?? {}) as Record<string, { term: string; weight: number }[]>;
    const explanation = Object.entries(contributions)
      .map(([tag, terms]) => `${tag}: ${terms.slice(0, 5).map((t) => t.term).join(', ')}`)
      .join('; ');
    return {
      prediction: assigned.length ? assigned.join(';') : String(result.topTag ?? ''),
      probability: top ? num(top.confidence, 4) : '',
      explanation,
    };
  }
  const explanation = Array.isArray(result.explanation)
    ? (result.explanation as { column: string; direction?: string }[])
        .map((e) => `${e.column}${e.direction === 'up' ? ' ↑' : e.direction === 'down' ? ' ↓' : ''}`)
        .join(', ')
    : typeof result.explanation === 'string'
      ? result.explanation
      : '';
  const p = result.prediction;
  return {
    prediction: p === null || p === undefined ? '' : typeof p === 'object' ? JSON.stringify(p) : String(p),
    probability: num(result.probability, 4),
    explanation,
  };
}

export function quickTestText(r: QuickTestReply): string {
  const cells = predictionCells(r.result);
  const out = [`Version v${r.version} (${r.slot === 'published' ? 'published' : 'last trained'})`, `Prediction:   ${cells.prediction}`];
  const isText = Array.isArray(r.result.tags);
  if (cells.probability) out.push(`${isText ? 'Confidence: ' : 'Probability:'}  ${(Number(cells.probability) * 100).toFixed(1)}%`);
  const each = r.result.probabilities as Record<string, number> | undefined;
  if (each && typeof each === 'object' && Object.keys(each).length > 2) {
    out.push(`All outcomes: ${Object.entries(each).map(([k, p]) => `${k} ${(p * 100).toFixed(1)}%`).join(', ')}`);
  }
  if (isText) {
    const tags = (r.result.tags as { tag: string; confidence: number }[]).filter((t) => t.confidence >= 0.5);
    out.push(`Tags ≥ 50%:   ${tags.map((t) => `${t.tag} ${Math.round(t.confidence * 100)}%`).join(', ') || 'none'}`);
  }
  const interval = r.result.interval as { low?: number; high?: number } | undefined;
  if (interval && typeof interval.low === 'number') out.push(`Interval:     ${num(interval.low)} to ${num(interval.high)}`);
  if (cells.explanation) out.push(`Because:      ${cells.explanation}`);
  return out.join('\n');
}

const cell = (v: unknown) => (v === undefined ? '(not set)' : typeof v === 'string' ? v : JSON.stringify(v));
const signed = (x: number | null) => (x === null ? '' : `${x >= 0 ? '+' : ''}${num(x, 4)}`);

/** Two versions side by side: metric deltas, configuration changes, data changes. */
export function comparisonText(c: ComparisonReply): string {
  const a = `v${c.a.version}`;
  const b = `v${c.b.version}`;
  const out = [`${a}  ${scoreText(c.a.score)}`, `${b}  ${scoreText(c.b.score)}`, ''];
  out.push(
    c.metrics.length
      ? table(['METRIC', a, b, 'CHANGE'], c.metrics.map((m) => [m.metric, num(m.a, 4), num(m.b, 4), signed(m.delta)]))
      : 'No metric in common.',
  );
  out.push('', c.configuration.length ? table(['SETTING', a, b], c.configuration.map((d) => [d.path, cell(d.a), cell(d.b)])) : 'Same configuration.');
  const d = c.data;
  const rows =
    d.rowsAdded !== null || d.rowsRemoved !== null ? `, ${d.rowsAdded ?? 0} rows added, ${d.rowsRemoved ?? 0} removed` : '';
  out.push(
    '',
    `Data: ${d.sameTable ? 'same table' : 'different tables'}, revisions ${d.revisions[0]} → ${d.revisions[1]}${rows}${d.note ? ` (${d.note})` : ''}`,
  );
  return out.join('\n');
}
