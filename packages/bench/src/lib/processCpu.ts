import { readdirSync, readFileSync } from 'node:fs';

// Linux reports process CPU time in clock ticks; USER_HZ is 100 on every platform Node runs on.
const ticksPerSecond = 100;

/** CPU time from /proc/<pid>/stat, in clock ticks (10 ms resolution). */
function fromStat(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / ticksPerSecond;
}

/** Time on CPU of every thread of the process, from schedstat (nanoseconds), or undefined where the kernel has none. */
function fromSchedstat(pid: number): number | undefined {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // The thread ended between the listing and the read.
      }
    }
    return ns / 1e6;
  } catch {
    return undefined;
  }
}

/**
 * CPU time (user + system) a process has used so far, in milliseconds, from /proc: per-thread
 * schedstat (nanosecond resolution) where the kernel provides it, else clock ticks. Unlike
 * throughput, CPU per request hardly moves when other processes compete for the cores.
 */
export function processCpuMs(pid: number): number {
  return fromSchedstat(pid) ?? fromStat(pid);
}
