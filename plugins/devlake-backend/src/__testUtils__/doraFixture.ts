import { DevLakeFixture } from '@fawkes/devlake-fixtures';

/**
 * Hand-computed DORA fixture. Current period 2024-03-04 (Mon) .. 2024-03-17 (Sun), two
 * weeks; previous period 2024-02-19 .. 2024-03-03. Expected values are in the tests.
 */
export function buildDoraFixture(): DevLakeFixture {
  const fx = new DevLakeFixture();
  fx.project('alpha').project('beta').project('gamma').project('delta');
  fx.team('team-1', 'Platform', ['acc-alice']);
  fx.team('team-2', 'Other', ['acc-bob']);

  const dc = (project: string, deploymentId: string, finished: string, extra: Record<string, unknown> = {}) =>
    fx.deploymentCommit({ project, deploymentId, finished, author: 'acc-bob', ...extra });

  // --- alpha, current period: 5 successful production deployments -------------------
  const d1a = dc('alpha', 'd1', '2024-03-04T10:00:00Z', { sha: 'sha-d1a', message: 'first row' });
  const d1b = dc('alpha', 'd1', '2024-03-05T09:00:00Z', {
    sha: 'sha-d1b',
    author: 'acc-alice',
    authorEmail: 'alice@example.com',
    message: 'fix: café ✓',
    started: '2024-03-05T08:55:00Z',
    durationSec: 300,
    refName: 'v1.2.3',
  });
  dc('alpha', 'd2', '2024-03-05T23:59:59.999Z');
  const d3 = dc('alpha', 'd3', '2024-03-11T00:00:00.000Z', { author: 'acc-alice' });
  const d4 = dc('alpha', 'd4', '2024-03-17T23:59:59.999Z');
  dc('alpha', 'd11', '2024-03-03T23:00:00Z');
  dc('alpha', 'd11', '2024-03-04T01:00:00Z');
  // Ignored: failed, staging, lower-case values, outside the period.
  dc('alpha', 'd5', '2024-03-06T10:00:00Z', { result: 'FAILURE' });
  dc('alpha', 'd6', '2024-03-06T11:00:00Z', { environment: 'STAGING' });
  dc('alpha', 'd7', '2024-03-07T10:00:00Z', { environment: 'production' });
  dc('alpha', 'd8', '2024-03-07T11:00:00Z', { result: 'success' });
  const d9 = dc('alpha', 'd9', '2024-03-18T00:00:00.000Z');
  dc('alpha', 'd12', '2024-03-08T10:00:00Z', { environment: 'TESTING' });

  // --- alpha, previous period: 4 deployments ----------------------------------------
  const d10 = dc('alpha', 'd10', '2024-03-03T23:59:59.999Z');
  dc('alpha', 'p1', '2024-02-20T10:00:00Z');
  dc('alpha', 'p2', '2024-02-26T10:00:00Z');
  dc('alpha', 'p3', '2024-02-19T00:00:00.000Z');

  // --- lead time ----------------------------------------------------------------------
  fx.pullRequest({ project: 'alpha', id: 'pr1', cycleMinutes: 120, deploymentCommitId: d1b, author: 'acc-bob' });
  fx.pullRequest({ project: 'alpha', id: 'pr2', cycleMinutes: 600, deploymentCommitId: d3, author: 'acc-alice' });
  fx.pullRequest({ project: 'alpha', id: 'pr3', cycleMinutes: 30, deploymentCommitId: d4 });
  fx.pullRequest({ project: 'alpha', id: 'pr4', cycleMinutes: 240, deploymentCommitId: d1a });
  fx.pullRequest({ project: 'alpha', id: 'pr5', cycleMinutes: 5, deploymentCommitId: null });
  fx.pullRequest({ project: 'alpha', id: 'pr6', cycleMinutes: 7, deploymentCommitId: d4, merged: null });
  fx.pullRequest({ project: 'alpha', id: 'pr7', cycleMinutes: null, deploymentCommitId: d4 });
  fx.pullRequest({ project: 'alpha', id: 'pr8', cycleMinutes: 9, deploymentCommitId: d9 });
  fx.pullRequest({ project: 'alpha', id: 'pr9', cycleMinutes: 300, deploymentCommitId: d10 });

  // --- incidents ----------------------------------------------------------------------
  fx.incident({ project: 'alpha', id: 'i1', deploymentId: 'd3', created: '2024-03-11T01:00:00Z', resolved: '2024-03-11T03:30:00Z', leadTimeMinutes: 150, assignee: 'acc-alice' });
  fx.incident({ project: 'alpha', id: 'i2', deploymentId: 'd3', created: '2024-03-11T02:00:00Z', resolved: '2024-03-12T00:00:00Z', leadTimeMinutes: 60 });
  fx.incident({ project: 'alpha', id: 'i3', deploymentId: 'd4', created: '2024-03-17T23:59:59.999Z', orphanRelationship: true });
  fx.incident({ project: 'alpha', id: 'i4', deploymentId: 'd9', created: '2024-03-18T01:00:00Z', resolved: '2024-03-18T02:00:00Z', leadTimeMinutes: 60 });
  fx.incident({ project: 'alpha', id: 'i6', created: '2024-03-08T10:00:00Z', resolved: '2024-03-08T10:45:00Z', leadTimeMinutes: 45 });
  fx.incident({ project: 'alpha', id: 'i5', deploymentId: 'p1', created: '2024-02-20T10:10:00Z', resolved: '2024-02-20T10:30:00Z', leadTimeMinutes: 30 });

  // --- beta: one deployment by alice in the current period -----------------------------
  dc('beta', 'b1', '2024-03-06T12:00:00Z', { author: 'acc-alice' });

  // --- delta: 10 deployments before, 11 now (exactly +10 % → stable) -----------------------
  for (let i = 0; i < 10; i++) dc('delta', `dp${i}`, `2024-02-${String(19 + i).padStart(2, '0')}T12:00:00Z`);
  for (let i = 0; i < 11; i++) dc('delta', `dc${i}`, `2024-03-${String(4 + i).padStart(2, '0')}T12:00:00Z`);

  // gamma has no data at all.
  return fx;
}

export const currentPeriod = { startDate: '2024-03-04', endDate: '2024-03-17' };
