/**
 * What every benchmark in bench/ returns. One benchmark may return several rows (e.g. a
 * throughput and a latency figure), each compared against a baseline measured in the SAME
 * run on the same machine: absolute figures move with the machine, the ratio is the claim.
 */
export interface BenchResult {
  /** What was measured, e.g. "GET /api/v1/me throughput". */
  name: string;
  figure: number;
  /** e.g. "req/s", "ms". */
  unit: string;
  /** What the figure is compared against, e.g. "bare Koa 3 hello world". */
  baselineName: string;
  baselineFigure: number;
  /** figure / baselineFigure. */
  ratio: number;
  /**
   * The target for the ratio: `higher` means ratio >= value passes (throughput), `lower`
   * means ratio <= value passes (latency). Or, where the requirement is a number of its own
   * (the inbox's "p99 under 20 ms"), a target for the figure itself: `{absolute, unit}`.
   * Absent = reported for information only.
   */
  goal?: { ratio: number; direction: 'higher' | 'lower' } | { absolute: number; unit: string; direction: 'higher' | 'lower' };
}

export interface BenchReport {
  /** Short id, also the module's file name without .ts (used to pick one on the command line). */
  id: string;
  title: string;
  results: BenchResult[];
  /** How it was measured (load, rounds, log level, database...), printed under the table. */
  method: string[];
  /** Anything the reader should know about this run's numbers (raw per-round figures...). */
  observations?: string[];
}

/** The shape bench/run.ts expects of each module listed there. */
export interface BenchModule {
  run(): Promise<BenchReport>;
}

export function goalText(goal: BenchResult['goal']): string {
  if (!goal) return '—';
  const sign = goal.direction === 'higher' ? '≥' : '≤';
  return 'absolute' in goal ? `${sign} ${goal.absolute} ${goal.unit}` : `${sign} ${goal.ratio}×`;
}

export function verdict(result: BenchResult): 'PASS' | 'BELOW' | '—' {
  const { goal, ratio, figure } = result;
  if (!goal) return '—';
  const [value, target] = 'absolute' in goal ? [figure, goal.absolute] : [ratio, goal.ratio];
  const ok = goal.direction === 'higher' ? value >= target : value <= target;
  return ok ? 'PASS' : 'BELOW';
}

/**
 * A benchmark's goal result: `missed` when a row with a goal misses it, `met` when every row
 * with a goal meets it, `none` when no row has a goal (reported for information; it does not
 * count). `npm run bench` exits non-zero when any benchmark's result is `missed`.
 */
export function goalResult(report: BenchReport): 'met' | 'missed' | 'none' {
  const judged = report.results.map(verdict).filter((v) => v !== '—');
  if (judged.length === 0) return 'none';
  return judged.includes('BELOW') ? 'missed' : 'met';
}
