/**
 * SQL `percent_rank()` over ascending values: (rank − 1) / (n − 1), 0 when n = 1, ties
 * sharing the lowest rank. Returned in the order of the sorted input.
 */
function rankedAscending<V extends number | null>(values: V[]): Array<{ value: V; rank: number }> {
  // NULLs sort first in ascending order, on MySQL/MariaDB and SQLite alike, and are peers.
  const sorted = [...values].sort((a, b) => {
    if (a === null || b === null) return Number(b === null) - Number(a === null);
    return a - b;
  });
  const n = sorted.length;
  let firstIndex = 0;
  return sorted.map((value, i) => {
    if (i > 0 && value !== sorted[i - 1]) firstIndex = i;
    return { value, rank: n === 1 ? 0 : firstIndex / (n - 1) };
  });
}

/**
 * DevLake's median: the largest value whose percent_rank is ≤ 0.5 (a lower median).
 * [1,2,3,4] → 2, [1,2,3] → 2, [2,4] → 2, [5] → 5, [1,1,5,5] → 1. Empty → null.
 */
export function lowerMedian(values: Array<number | null>): number | null {
  // max(value) WHERE ranks <= 0.5: NULL rows take part in the ranking, but max ignores them.
  let result: number | null = null;
  for (const { value, rank } of rankedAscending(values)) {
    if (rank <= 0.5 && value !== null) result = value;
  }
  return result;
}

/**
 * DevLake's six-month deployment-frequency median: the smallest value whose percent_rank is
 * ≥ 0.5 (an upper median). [1,2,3,4] → 3. A single value has percent_rank 0, so, exactly as
 * in the dashboard's SQL, one value (or none) yields null.
 */
export function upperMedian(values: number[]): number | null {
  for (const { value, rank } of rankedAscending(values)) {
    if (rank >= 0.5) return value;
  }
  return null;
}
