// Charts drawn with recharts (loaded on demand): y against x as a line or scatter, and generic curves.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { compact, num } from '../format.js';

type Obj = Record<string, unknown>;
const COLORS = ['#2f6f8f', '#c0692b', '#4f8a3c', '#8b4f9c', '#b03a48', '#6b6b6b'];

/** A y-against-x chart of points, as a line or a scatter, with an optional y = x diagonal. */
export function XY(props: { points: Obj[]; x: string; y: string; xLabel: string; yLabel: string; diagonal?: boolean; line?: boolean }) {
  const { points, x, y } = props;
  const data = points.map((p) => ({ x: p[x] as number, y: p[y] as number }));
  const xs = data.map((d) => d.x);
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return (
    <div className="chart" role="img" aria-label={`${props.yLabel} against ${props.xLabel}`}>
      <ResponsiveContainer width="100%" height={260}>
        <ScatterChart margin={{ top: 8, right: 16, bottom: 24, left: 16 }}>
          <CartesianGrid stroke="#e5e7eb" />
          <XAxis dataKey="x" type="number" domain={props.diagonal ? [0, 1] : ['auto', 'auto']} tickFormatter={compact} label={{ value: props.xLabel, position: 'insideBottom', offset: -12 }} />
          <YAxis dataKey="y" type="number" width={64} domain={props.diagonal ? [0, 1] : ['auto', 'auto']} tickFormatter={compact} label={{ value: props.yLabel, angle: -90, position: 'insideLeft', style: { textAnchor: 'middle' } }} />
          <Tooltip formatter={(v) => num(v as number)} />
          {props.diagonal && (
            <Scatter data={[{ x: Math.min(0, lo), y: Math.min(0, lo) }, { x: Math.max(1, hi), y: Math.max(1, hi) }]} line={{ stroke: '#9aa5b1', strokeDasharray: '4 4' }} shape={() => <g />} isAnimationActive={false} />
          )}
          <Scatter
            data={props.line ? [...data].sort((a, b) => a.x - b.x) : data.slice(0, 2000)}
            fill={COLORS[0]}
            line={props.line ? { stroke: COLORS[0], strokeWidth: 2 } : undefined}
            // A curve of many points reads better as a plain line.
            shape={props.line && data.length > 30 ? () => <g /> : 'circle'}
            isAnimationActive={false}
          />
        </ScatterChart>
      </ResponsiveContainer>
    </div>
  );
}

export function Curve({ points, keys }: { points: Obj[]; keys: string[] }) {
  const [x, ...ys] = keys;
  return (
    <div className="chart">
      <ResponsiveContainer width="100%" height={260}>
        <LineChart data={points} margin={{ top: 8, right: 16, bottom: 16, left: 0 }}>
          <CartesianGrid stroke="#e5e7eb" />
          <XAxis dataKey={x} type="number" domain={['auto', 'auto']} tickFormatter={(v: number) => num(v, 2)} label={{ value: x, position: 'insideBottom', offset: -8 }} />
          <YAxis tickFormatter={(v: number) => num(v, 2)} />
          <Tooltip formatter={(v) => num(v as number)} />
          <Legend verticalAlign="top" />
          {ys.map((y, i) => (
            <Line key={y} dataKey={y} stroke={COLORS[i % COLORS.length]} dot={points.length < 30} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

export function ScatterPlot({ points, keys }: { points: Obj[]; keys: string[] }) {
  return (
    <div className="chart">
      <ResponsiveContainer width="100%" height={260}>
        <ScatterChart margin={{ top: 8, right: 16, bottom: 16, left: 0 }}>
          <CartesianGrid stroke="#e5e7eb" />
          <XAxis dataKey={keys[0]} type="number" name={keys[0]} tickFormatter={(v: number) => num(v, 2)} label={{ value: keys[0], position: 'insideBottom', offset: -8 }} />
          <YAxis dataKey={keys[1]} type="number" name={keys[1]} tickFormatter={(v: number) => num(v, 2)} />
          <Tooltip formatter={(v) => num(v as number)} />
          <Scatter data={points.slice(0, 2000)} fill={COLORS[0]} isAnimationActive={false} />
        </ScatterChart>
      </ResponsiveContainer>
    </div>
  );
}

