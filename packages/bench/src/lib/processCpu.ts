import { readFileSync } from 'node:fs';

// Linux reports process CPU time in clock ticks; USER_HZ is 100 on every platform Node runs on.
const ticksPerSecond = 100;

/**
 * CPU time (user + system) a process has used so far, in milliseconds, from /proc. Unlike
 * throughput, CPU per request hardly moves when other processes compete for the cores.
 */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / ticksPerSecond;
}
