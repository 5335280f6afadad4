// Tiny benchmark harness: run an operation for a fixed wall-clock budget after a warm-up and
// report ops/s. Every row is one operation; rows are never averaged together.
import { performance } from 'node:perf_hooks';

export interface BenchRow {
  suite: string;
  name: string;
  opsPerSec: number;
  note?: string;
}

export interface MeasureOptions {
  /** Milliseconds spent measuring (after warm-up). */
  timeMs?: number;
  warmupMs?: number;
}

const DEFAULT_TIME_MS = Number(process.env.BENCH_TIME_MS ?? 1000);

/** Measure a synchronous operation; the function runs in batches to keep timer overhead out. */
export function measureSync(fn: () => unknown, opts: MeasureOptions = {}): number {
  const timeMs = opts.timeMs ?? DEFAULT_TIME_MS;
  const warmupMs = opts.warmupMs ?? Math.min(300, timeMs / 3);
  let batch = 1;
  const warmEnd = performance.now() + warmupMs;
  while (performance.now() < warmEnd) {
    for (let i = 0; i < batch; i++) fn();
    if (batch < 1 << 16) batch *= 2;
  }
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < timeMs) {
    for (let i = 0; i < batch; i++) fn();
    ops += batch;
    now = performance.now();
  }
  return (ops * 1000) / (now - start);
}

/** Measure an asynchronous operation run sequentially (closed loop, concurrency 1). */
export async function measureAsync(fn: () => Promise<unknown>, opts: MeasureOptions = {}): Promise<number> {
  const timeMs = opts.timeMs ?? DEFAULT_TIME_MS;
  const warmupMs = opts.warmupMs ?? Math.min(300, timeMs / 3);
  const warmEnd = performance.now() + warmupMs;
  while (performance.now() < warmEnd) await fn();
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < timeMs) {
    await fn();
    ops++;
    now = performance.now();
  }
  return (ops * 1000) / (now - start);
}

export function printTable(rows: BenchRow[]): void {
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const w1 = Math.max(5, ...rows.map((r) => r.suite.length));
  const w2 = Math.max(9, ...rows.map((r) => r.name.length));
  const w3 = Math.max(5, ...rows.map((r) => fmt(r.opsPerSec).length));
  console.log(`| ${'suite'.padEnd(w1)} | ${'operation'.padEnd(w2)} | ${'ops/s'.padStart(w3)} | note`);
  console.log(`|${'-'.repeat(w1 + 2)}|${'-'.repeat(w2 + 2)}|${'-'.repeat(w3 + 2)}|------`);
  for (const r of rows) {
    console.log(`| ${r.suite.padEnd(w1)} | ${r.name.padEnd(w2)} | ${fmt(r.opsPerSec).padStart(w3)} | ${r.note ?? ''}`);
  }
}
