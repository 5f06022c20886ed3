// Benchmark support: the statistics and the Markdown tables every section of `npm run bench` prints, so each
// section reports its numbers the same way (medians, nearest-rank percentiles, right-aligned numbers).
import { performance } from 'node:perf_hooks';

/** Milliseconds with one decimal, as every table shows them. */
export const ms = (value: number): string => value.toFixed(1);

/** A ratio with two decimals and its `x`. */
export const times = (value: number): string => `${value.toFixed(2)}x`;

/** The nearest-rank percentile of sorted samples (rank 0.5 is the lower median of an even count). */
function nearestRank(sorted: readonly number[], rank: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(rank * sorted.length) - 1))] ?? NaN;
}

export interface Summary {
  readonly median: number;
  readonly p90: number;
  readonly p99: number;
  readonly runs: number;
}

/** Median (the mean of the middle two for an even count) and nearest-rank 90th and 99th percentiles. */
export function summary(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? nearestRank(sorted, 0.5) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
  return { median, p90: nearestRank(sorted, 0.9), p99: nearestRank(sorted, 0.99), runs: sorted.length };
}

/** How long an action takes, in milliseconds. */
export async function timed(action: () => unknown): Promise<number> {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

export type TableRows = readonly (readonly string[])[];

/** A Markdown table, numbers right-aligned, so the output pastes into a report or the README as it is. */
export function markdownTable(headers: readonly string[], rows: TableRows): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const numeric = headers.map((_, column) => rows.length > 0 && rows.every((row) => /^[-+]?[\d.,]+( %|x| ms)?$|^–$/.test(row[column] ?? '')));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => (numeric[column] ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (numeric[column] ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2))).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** Prints a Markdown table and a blank line. */
export function printTable(headers: readonly string[], rows: TableRows): void {
  console.log(markdownTable(headers, rows));
  console.log();
}

/** What every section's heading says once at the top, and the summary again at the end. */
export const ONLY_RATIOS_CARRY = 'Only ratios carry across machines: absolute milliseconds are this machine\'s, on a busy day or a quiet one.';
