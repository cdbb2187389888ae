import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Where a frame comes from: `package/file:line` for node_modules, else the path under the repo. */
function frameKey(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.includes('/node_modules/')
    ? url.slice(url.lastIndexOf('/node_modules/') + '/node_modules/'.length)
    : url.replace(/^.*\/(plugins|packages)\//, '$1/');
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
}

export interface ProfileSummary {
  /** Sampled time in ms. */
  totalMs: number;
  /** Inclusive time (ms) of the frames whose key matches each pattern, recursion counted once. */
  inclusive(pattern: RegExp): number;
  /** The frames with the most self time (ms). */
  topSelf(count: number): Array<{ frame: string; ms: number }>;
  /** Self time (ms) per frame key. */
  selfByFrame(): Map<string, number>;
  /**
   * Time (ms) of the samples whose nearest frame (walking up from the leaf) that matches `owner`
   * or `boundary` matches `owner`: the time spent in `owner`'s code and what it calls, but not in
   * what it hands on to through `boundary` frames (e.g. a middleware's own work, not the rest of
   * the chain it calls with `next()`).
   */
  ownedBy(owner: RegExp, boundary: RegExp): number;
}

/** Reads a V8 `.cpuprofile` (as `node --cpu-prof` writes it). */
export function summarizeCpuProfile(file: string): ProfileSummary {
  const profile: CpuProfile = JSON.parse(readFileSync(file, 'utf8'));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const keys = new Map(profile.nodes.map(n => [n.id, frameKey(n)]));

  return {
    totalMs: totalUs / 1000,
    inclusive(pattern) {
      let us = 0;
      for (const [id, t] of selfUs) {
        // Charge each sample once if any frame on its stack matches.
        for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
          if (pattern.test(keys.get(at)!)) {
            us += t;
            break;
          }
        }
      }
      return us / 1000;
    },
    ownedBy(owner, boundary) {
      let us = 0;
      for (const [id, t] of selfUs) {
        for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
          const key = keys.get(at)!;
          if (owner.test(key)) {
            us += t;
            break;
          }
          if (boundary.test(key)) break;
        }
      }
      return us / 1000;
    },
    selfByFrame() {
      const byFrame = new Map<string, number>();
      for (const [id, t] of selfUs) {
        const key = keys.get(id)!;
        byFrame.set(key, (byFrame.get(key) ?? 0) + t / 1000);
      }
      return byFrame;
    },
    topSelf(count) {
      return [...this.selfByFrame().entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, count)
        .map(([frame, ms]) => ({ frame, ms }));
    },
  };
}

/** The one `.cpuprofile` a process wrote into `dir` (`--cpu-prof-dir`). */
export function profileIn(dir: string): string {
  const files = readdirSync(dir).filter(f => f.endsWith('.cpuprofile'));
  if (files.length !== 1) throw new Error(`expected one .cpuprofile in ${dir}, found ${files.length}`);
  return join(dir, files[0]);
}
