// One trained version as a slot shows it: Performance, facts about the training, warnings, influence.
import type { Version } from '../api.js';
import { duration, formatDate, metricLabel, num } from '../format.js';
import { Link } from '../router.js';
import { InfluenceBars } from './influence-bars.js';
import { PerformanceHeading, PerformanceScore } from './performance.js';

/** "withOutcome" → "with outcome". */
function words(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

export function VersionFacts({ version }: { version: Version }) {
  const rows = version.rows ?? {};
  const kind = (version.summary as { kind?: unknown; kindReason?: unknown }).kind;
  const kindReason = (version.summary as { kindReason?: unknown }).kindReason;
  return (
    <dl className="facts">
      <div>
        <dt>Trained</dt>
        <dd>
          {formatDate(version.trainedAt)} by {version.trainedBy} in {duration(version.durationMs)}
          {version.kind === 'retrain' ? ' (retrained on current rows)' : ''}
        </dd>
      </div>
      <div>
        <dt>Data source</dt>
        <dd>
          <Link href={`/tables/${version.table.id}`}>{version.table.name}</Link>, revision {version.table.revision}
        </dd>
      </div>
      <div>
        <dt>Rows</dt>
        <dd>
          {Object.entries(rows)
            .map(([k, v]) => `${num(v)} ${words(k)}`)
            .join(' · ') || '—'}
        </dd>
      </div>
      {typeof kind === 'string' && (
        <div>
          <dt>Kind</dt>
          <dd>
            {kind}
            {typeof kindReason === 'string' && <span className="muted"> ({kindReason})</span>}
          </dd>
        </div>
      )}
      {Object.keys(version.metrics).length > 0 && (
        <div>
          <dt>Metrics</dt>
          <dd>
            {Object.entries(version.metrics)
              .map(([k, v]) => `${metricLabel(k)} ${num(v)}`)
              .join(' · ')}
          </dd>
        </div>
      )}
    </dl>
  );
}

export function VersionCard({ title, version, empty }: { title: string; version: Version | null; empty: string }) {
  const headingId = title.replace(/\s+/g, '-').toLowerCase();
  return (
    <section className="card slot" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {title}
        {version && <span className="version-tag">Version {version.version}</span>}
      </h2>
      {!version && <p className="muted">{empty}</p>}
      {version && (
        <>
          <PerformanceHeading version={version} />
          <PerformanceScore version={version} />
          <VersionFacts version={version} />
          {version.warnings.length > 0 && (
            <>
              <h3>Warnings</h3>
              <ul className="messages warnings">
                {version.warnings.map((w, i) => (
                  <li key={i}>{w.message}</li>
                ))}
              </ul>
            </>
          )}
          <h3>Most influential columns</h3>
          <InfluenceBars influence={version.influence} />
          <p>
            <Link href={`/models/${version.modelId}/versions/${version.version}`}>See details and charts of version {version.version}</Link>
          </p>
        </>
      )}
    </section>
  );
}
