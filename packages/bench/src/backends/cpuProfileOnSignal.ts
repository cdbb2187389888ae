import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

/**
 * With `FAWKES_BENCH_CPU_PROFILE=<file>`, SIGUSR2 starts a CPU profile of this process and the
 * next SIGUSR2 writes it to `<file>.<n>.cpuprofile`, so a benchmark profiles only the window it
 * loads (not start-up). Without the variable it does nothing.
 */
export function cpuProfileOnSignal(): void {
  const base = process.env.FAWKES_BENCH_CPU_PROFILE;
  if (!base) return;
  let session: Session | undefined;
  let running = false;
  let count = 0;
  process.on('SIGUSR2', () => {
    if (!session) {
      session = new Session();
      session.connect();
    }
    const profiler = session;
    if (!running) {
      running = true;
      profiler.post('Profiler.enable', () => profiler.post('Profiler.start'));
      return;
    }
    running = false;
    profiler.post('Profiler.stop', (error, result) => {
      count += 1;
      writeFileSync(`${base}.${count}.cpuprofile`, JSON.stringify(error ? {} : result.profile));
      process.stdout.write(`profile ${count} written\n`);
    });
  });
}
