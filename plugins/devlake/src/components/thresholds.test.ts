import { DORA_THRESHOLDS } from '@fawkes/plugin-devlake-common';
import { levelBands } from './thresholds';

describe('levelBands', () => {
  it('draws the -common thresholds the backend classifies with', () => {
    expect(levelBands('leadTimeForChanges', '2021', 'week')).toEqual([
      { level: 'elite', from: 0, to: 1 },
      { level: 'high', from: 1, to: 168 },
      { level: 'medium', from: 168, to: 4320 },
      { level: 'low', from: 4320, to: undefined },
    ]);
    expect(levelBands('changeFailureRate', '2023', 'month').map(b => b.to)).toEqual([
      ...DORA_THRESHOLDS['2023'].changeFailureRatePercent,
      undefined,
    ]);
    expect(levelBands('timeToRestoreService', '2021', 'month').map(b => b.to)).toEqual([1, 24, 168, undefined]);
  });

  it('scales deployment-day rules to the bucket', () => {
    const weekly2023 = levelBands('deploymentDays', '2023', 'week');
    expect(weekly2023.map(b => b.level)).toEqual(['low', 'medium', 'high', 'elite']);
    // Medium: 1 a month; high: 1 a week; elite: 5 a week.
    expect(weekly2023.map(b => b.to)).toEqual([7 / 30.44, 1, 5, undefined]);
    const monthly2021 = levelBands('deploymentDays', '2021', 'month');
    // Medium: 1 in six months; high: 1 a month; elite: 5 a week.
    expect(monthly2021.map(b => b.to)).toEqual([30.44 / 182.5, 1, (5 * 30.44) / 7, undefined]);
  });
});
