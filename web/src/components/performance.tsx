// A version's Performance: grade letter or score, the tooltip on how it is computed, ranges and message.
import type { Version } from '../api.js';
import { metricLabel, num, percent } from '../format.js';
import { InfoTip } from './info-tip.js';

interface GradeScore {
  kind: 'grade';
  grade: string;
  metric: string;
  value: number;
  baseline: number | null;
  ranges: { grade: string; from: number; to: number; note?: string }[];
  message: string;
  explanation: string;
}
interface NumberScore {
  kind: 'score';
  value: number;
  message: string;
  explanation: string;
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** The top range includes its upper end (an accuracy of exactly 100% is in "99% to 100%"). */
function inRange(value: number, r: { from: number; to: number }): boolean {
  return (!finite(r.from) || value >= r.from) && (!finite(r.to) || value < r.to || (r.to >= 1 && value <= r.to));
}

function rangeText(r: { from: number; to: number }): string {
  if (!finite(r.from)) return `under ${percent(r.to)}`;
  if (!finite(r.to)) return `${percent(r.from)} and above`;
  return `${percent(r.from)} to under ${percent(r.to)}`;
}

export function PerformanceHeading({ version, level = 3 }: { version: Version; level?: 3 | 4 }) {
  const s = version.score as Partial<GradeScore>;
  const H = level === 3 ? 'h3' : 'h4';
  return (
    <H className="with-tip">
      Performance
      <InfoTip label="How Performance is computed" text={s.explanation ?? 'No explanation was recorded for this score.'} />
    </H>
  );
}

export function PerformanceScore({ version }: { version: Version }) {
  const raw = version.score as Partial<GradeScore> | Partial<NumberScore>;
  if (raw.kind === 'grade') {
    const s = raw as GradeScore;
    const ranges = Array.isArray(s.ranges) ? s.ranges : [];
    return (
      <div className="score">
        <div className="score-line">
          <span className={`grade grade-${s.grade}`} aria-label={`Grade ${s.grade}`}>
            {s.grade}
          </span>
          <span>
            {metricLabel(s.metric)} {percent(s.value)}
            {s.baseline !== null && s.baseline !== undefined && <span className="muted"> · random-guess baseline {percent(s.baseline)}</span>}
          </span>
        </div>
        {ranges.length > 0 && (
          <table className="ranges" aria-label="Grade ranges for this model">
            <caption>Grade ranges for this model ({metricLabel(s.metric)})</caption>
            <tbody>
              {ranges.map((r, i) => (
                <tr key={`${r.grade}-${i}`} className={r.grade === s.grade && inRange(s.value, r) ? 'current' : undefined}>
                  <th scope="row">{r.grade}</th>
                  <td>
                    {rangeText(r)}
                    {r.note && <span className="muted"> ({r.note})</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {s.message && <p className="score-message">{s.message}</p>}
      </div>
    );
  }
  if (raw.kind === 'score' || typeof raw.value === 'number') {
    const s = raw as NumberScore;
    return (
      <div className="score">
        <div className="score-line">
          <span className="score-number" aria-label={`Score ${num(Math.round(s.value))} out of 100`}>
            {Math.round(s.value)}
          </span>
          <span className="muted">out of 100</span>
        </div>
        {s.message && <p className="score-message">{s.message}</p>}
      </div>
    );
  }
  return <p className="muted">No performance score was recorded.</p>;
}
