// Shared benchmark helpers: wall time, CPU time of the child processes a step ran, and what
// machine the numbers came from.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** Wall and CPU seconds of one measured step. */
export interface Timing {
  seconds: number;
  /** User + system CPU of the child processes that exited during the step (Linux only, else null). */
  cpuSeconds: number | null;
}

let ticksPerSecond: number | undefined;

/**
 * CPU seconds used so far by this process's finished children (cutime + cstime in
 * /proc/self/stat). Wall time on a shared machine moves with other people's load; CPU time
 * moves much less, so the benchmark reports both.
 */
export function childCpuSeconds(): number | null {
  try {
    // Fields after the ")" that closes the command name; cutime and cstime are fields 16 and 17.
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    return (Number(fields[13]) + Number(fields[14])) / ticksPerSecond;
  } catch {
    return null;
  }
}

/** Runs `step` and returns its result with its wall and child-CPU time. */
export async function measure<T>(step: () => Promise<T>): Promise<{ value: T } & Timing> {
  const cpuBefore = childCpuSeconds();
  const start = process.hrtime.bigint();
  const value = await step();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpuAfter = childCpuSeconds();
  return { value, seconds, cpuSeconds: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore };
}

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** What the numbers were measured on, including the load other processes put on it. */
export function machineInfo(): Record<string, unknown> {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.release()}`,
    arch: os.arch(),
    node: process.version,
    loadAverage: os.loadavg().map((n) => Math.round(n * 100) / 100),
  };
}
