// How numbers, dates, shares and model facts read in the web app.
import type { Model, Version } from './api.js';

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function percent(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return `${(x * 100).toFixed(digits)}%`;
}

export function num(x: unknown, digits = 3): string {
  if (typeof x !== 'number') return x === null || x === undefined ? '—' : String(x);
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return x.toLocaleString();
  // Large values (errors in dollars, counts) read better grouped than with three decimals.
  if (Math.abs(x) >= 100) return x.toLocaleString(undefined, { maximumFractionDigits: 1 });
  return x.toFixed(digits);
}

export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function typeLabel(type: string): string {
  return type === 'prediction' ? 'Prediction' : type === 'text-classification' ? 'Category classification' : type;
}

/** The short status a model list shows. */
export function modelStatus(model: Model): string {
  if (model.activeRun) return 'Training';
  if (model.published) return model.draft ? 'Published, draft' : 'Published';
  if (model.lastTrained) return model.draft ? 'Trained, draft' : 'Trained';
  return 'Draft';
}

/** "B" for a grade, "87" for a score, "—" when there is none. */
export function scoreText(version: Version | null | undefined): string {
  if (!version) return '—';
  const s = version.score as { kind?: string; grade?: string; value?: number };
  if (s.kind === 'grade' && s.grade) return s.grade;
  if (typeof s.value === 'number') return String(Math.round(s.value));
  return '—';
}

export function metricLabel(key: string): string {
  const known: Record<string, string> = {
    accuracy: 'Accuracy',
    r2: 'R²',
    rmse: 'RMSE',
    mae: 'MAE',
    rocAuc: 'ROC AUC',
    macroF1: 'Macro F1',
    microF1: 'Micro F1',
    f1: 'F1',
    precision: 'Precision',
    recall: 'Recall',
    logLoss: 'Log loss',
    balancedAccuracy: 'Balanced accuracy',
    rocAucOvr: 'ROC AUC (one outcome against the rest)',
    intervalCoverage: 'Interval coverage',
    microPrecision: 'Micro precision',
    microRecall: 'Micro recall',
  };
  return known[key] ?? key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
}

/** Short axis labels: 315000 → "315K". */
export function compact(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) < 1000) return Number.isInteger(x) ? String(x) : x.toFixed(2);
  return new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 }).format(x);
}

/** A predicted number as people read it: thousands separated, at most 3 decimals. */
export function readable(x: number): string {
  return x.toLocaleString(undefined, { maximumFractionDigits: Math.abs(x) >= 100 ? 1 : 3 });
}
