import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';

/**
 * Options of {@link readDurationMs}.
 *
 * @public
 */
export interface ReadDurationOptions {
  /** Used when the key is absent: a duration, or a number of milliseconds. */
  default: HumanDuration | number;
  /** Whether 0 is a valid value (e.g. "no caching"). Negative durations are always refused. */
  allowZero?: boolean;
}

/**
 * Reads a duration setting, typed `HumanDuration | string` in config.d.ts, in milliseconds:
 * an object (`{ seconds: 10 }`), a unit string (`'10s'`, `'2 minutes'`) or an ISO 8601
 * string (`'PT10S'`), all through Backstage's `readDurationFromConfig`. A plain number is
 * read as milliseconds, so configurations written before the settings took durations keep
 * working. The key is relative to `config`.
 *
 * @public
 */
export function readDurationMs(config: Config, key: string, options: ReadDurationOptions): number {
  const raw = config.getOptional(key);
  let milliseconds: number;
  if (raw === undefined) {
    milliseconds = typeof options.default === 'number' ? options.default : durationToMilliseconds(options.default);
  } else if (typeof raw === 'number') {
    milliseconds = raw;
  } else {
    milliseconds = durationToMilliseconds(readDurationFromConfig(config, { key }));
  }
  if (!Number.isFinite(milliseconds) || milliseconds < 0 || (milliseconds === 0 && !options.allowZero)) {
    throw new Error(
      `Invalid duration at '${key}': must be ${options.allowZero ? 'zero or positive' : 'positive'}, got ${JSON.stringify(raw)}`,
    );
  }
  return milliseconds;
}
