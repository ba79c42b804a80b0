import type { SpikeKind, SpikeSeverity } from './listening.tables.js';

/** Per-organisation sensitivity (listening_settings); these when an organisation set none. */
export interface SpikeSettings {
  /** The last hour fires when it exceeds the baseline mean by k·σ. */
  k: number;
  /** ...or when the negative share rises by this much (0.25 = 25 points) over the baseline's. */
  negativeJump: number;
  /** An hour with fewer comments than this never fires: three comments are not a spike. */
  minComments: number;
}
export const DEFAULT_SPIKE_SETTINGS: SpikeSettings = { k: 2, negativeJump: 0.25, minComments: 10 };

/** One hour's comments: all of them, the negative ones, and those a method scored. */
export interface HourBucket {
  total: number;
  negative: number;
  scored: number;
}

export interface SpikeDetection {
  kind: SpikeKind;
  severity: SpikeSeverity;
  observed: number;
  baseline: number;
  threshold: number;
}

export const BASELINE_HOURS = 12;
/**
 * A volume spike also at least doubles the baseline mean: k·σ alone is a 2–3% false alarm an
 * hour at k = 2 on an ordinary Poisson stream (about one alert a day per busy message), and an
 * officer told about every one of those stops reading them.
 */
export const MIN_RISE = 2;

/**
 * Decides on the last hour against the 12 before it (`hours[0]` is the last hour, `hours[1..12]`
 * the baseline; missing hours count as 0). Volume: mean + k·σ, where σ is never below √mean
 * (the spread of a Poisson count) nor 1, so a flat or empty baseline does not turn the first
 * few comments into a spike, and the hour must also reach MIN_RISE × the mean. Negative share: the last hour's share of negative among scored
 * comments against the baseline's pooled share. Critical when twice over the line.
 */
export function detectSpikes(hours: readonly HourBucket[], s: SpikeSettings = DEFAULT_SPIKE_SETTINGS): SpikeDetection[] {
  const at = (i: number): HourBucket => hours[i] ?? { total: 0, negative: 0, scored: 0 };
  const last = at(0);
  if (last.total < s.minComments) return [];
  const base = Array.from({ length: BASELINE_HOURS }, (_, i) => at(i + 1));
  const mean = base.reduce((sum, h) => sum + h.total, 0) / BASELINE_HOURS;
  const sd = Math.sqrt(base.reduce((sum, h) => sum + (h.total - mean) ** 2, 0) / BASELINE_HOURS);
  const sigma = Math.max(sd, Math.sqrt(mean), 1);
  const out: SpikeDetection[] = [];
  const line = Math.max(mean + s.k * sigma, MIN_RISE * mean);
  if (last.total > line) {
    const critical = last.total > Math.max(mean + 2 * s.k * sigma, 1.5 * MIN_RISE * mean);
    out.push({ kind: 'volume', severity: critical ? 'critical' : 'warning', observed: last.total, baseline: round(mean), threshold: round(line) });
  }
  const baseScored = base.reduce((sum, h) => sum + h.scored, 0);
  const baseShare = baseScored === 0 ? 0 : base.reduce((sum, h) => sum + h.negative, 0) / baseScored;
  if (last.scored >= s.minComments) {
    const share = last.negative / last.scored;
    const shareLine = Math.min(1, baseShare + s.negativeJump);
    if (share >= shareLine && share > baseShare) {
      out.push({ kind: 'negative_share', severity: share >= Math.min(1, baseShare + 2 * s.negativeJump) ? 'critical' : 'warning', observed: round(share), baseline: round(baseShare), threshold: round(shareLine) });
    }
  }
  return out;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

const STOP = new Set(
  'the a an is are was were be been of and or to in on for with this that it its we you they he she i my our your not no very have has had do does did will would should can could please thank thanks from at by as but so all any more what when why how who which है हैं का की के को में से और यह वह भी नहीं तो ही पर एक था थे थी hai ka ki ke ko me mein se aur yeh ye woh bhi nahi to hi par ek tha'.split(' '),
);
const WORD = /[\p{L}\p{M}\p{N}]+/gu;

/** The most frequent words of the comments (function words, handles and short words left out). */
export function topTerms(texts: readonly string[], n = 8): Array<{ term: string; count: number }> {
  const counts = new Map<string, number>();
  for (const text of texts) {
    const seen = new Set<string>();
    for (const raw of text.replace(/@\S+/g, ' ').toLowerCase().match(WORD) ?? []) {
      if ([...raw].length < 3 || STOP.has(raw) || /^\d+$/.test(raw) || seen.has(raw)) continue;
      seen.add(raw);
      counts.set(raw, (counts.get(raw) ?? 0) + 1);
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n).map(([term, count]) => ({ term, count }));
}
