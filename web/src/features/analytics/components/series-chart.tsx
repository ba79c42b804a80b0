'use client';

export interface ChartPoint {
  at: string;
  current: number | null;
  previous: number | null;
}

interface Props {
  points: ChartPoint[];
  /** The chart's accessible name; the figures themselves are in the table beside it. */
  label: string;
  currentName: string;
  previousName: string;
  format: (at: string) => string;
}

const W = 640;
const H = 220;
const PAD = { left: 48, right: 12, top: 12, bottom: 28 };

/**
 * A small line chart drawn by hand in SVG (no chart library: this one figure does not earn
 * 100 KB). The current period is a solid line with dots, the previous one dashed, so the two
 * differ without colour; a gap is a bucket with the figure not available.
 */
export default function SeriesChart({ points, label, currentName, previousName, format }: Props) {
  const values = points.flatMap((p) => [p.current, p.previous]).filter((v): v is number => v !== null);
  const max = Math.max(1, ...values);
  const x = (i: number) => PAD.left + (points.length <= 1 ? 0 : (i / (points.length - 1)) * (W - PAD.left - PAD.right));
  const y = (v: number) => H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);
  const path = (pick: (p: ChartPoint) => number | null) => {
    let d = '';
    let pen = false;
    points.forEach((p, i) => {
      const v = pick(p);
      if (v === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)} `;
      pen = true;
    });
    return d.trim();
  };
  const ticks = [0, max / 2, max];
  const labelEvery = Math.max(1, Math.ceil(points.length / 6));
  return (
    <figure className="mb-2">
      <svg role="img" aria-label={label} viewBox={`0 0 ${W} ${H}`} className="h-auto w-full max-w-3xl text-slate-900">
        {ticks.map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} stroke="#cbd5e1" />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" fontSize="11" fill="currentColor">
              {Math.round(v).toLocaleString()}
            </text>
          </g>
        ))}
        {points.map((p, i) =>
          i % labelEvery === 0 ? (
            <text key={p.at} x={x(i)} y={H - 8} textAnchor="middle" fontSize="11" fill="currentColor">
              {format(p.at)}
            </text>
          ) : null,
        )}
        <path d={path((p) => p.previous)} fill="none" stroke="#64748b" strokeWidth="2" strokeDasharray="6 4" />
        <path d={path((p) => p.current)} fill="none" stroke="#3730a3" strokeWidth="2.5" />
        {points.map((p, i) => (p.current === null ? null : <circle key={p.at} cx={x(i)} cy={y(p.current)} r="3" fill="#3730a3" />))}
      </svg>
      <figcaption className="flex gap-4 text-xs text-slate-800">
        <span>
          <svg aria-hidden="true" width="24" height="8" className="mr-1 inline">
            <line x1="0" x2="24" y1="4" y2="4" stroke="#3730a3" strokeWidth="2.5" />
          </svg>
          {currentName}
        </span>
        <span>
          <svg aria-hidden="true" width="24" height="8" className="mr-1 inline">
            <line x1="0" x2="24" y1="4" y2="4" stroke="#64748b" strokeWidth="2" strokeDasharray="6 4" />
          </svg>
          {previousName}
        </span>
      </figcaption>
    </figure>
  );
}
