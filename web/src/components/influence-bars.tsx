// The most influential columns as bars whose shares add up to 100%.
import { percent } from '../format.js';

const SHOWN = 8;

export function InfluenceBars({ influence }: { influence: { column: string; share: number }[] }) {
  if (influence.length === 0) return <p className="muted">No column influence was recorded.</p>;
  const sorted = [...influence].sort((a, b) => b.share - a.share);
  // The columns past the first few are summed into one bar so the bars still add up to 100%.
  const rest = sorted.slice(SHOWN).reduce((s, x) => s + x.share, 0);
  const bars = sorted.slice(0, SHOWN).concat(rest > 0 ? [{ column: sorted.length - SHOWN === 1 ? '1 other column' : `${sorted.length - SHOWN} other columns`, share: rest }] : []);
  const max = Math.max(...bars.map((b) => b.share), 1e-9);
  return (
    <ul className="influence" aria-label="Most influential columns">
      {bars.map((b) => (
        <li key={b.column}>
          <span className="influence-name">{b.column}</span>
          <span className="influence-bar" aria-hidden="true">
            <span style={{ width: `${(b.share / max) * 100}%` }} />
          </span>
          <span className="influence-share">{percent(b.share)}</span>
        </li>
      ))}
    </ul>
  );
}
