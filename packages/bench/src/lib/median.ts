/** The median of a non-empty list (the mean of the two middle values for an even count). */
export function median(values: number[]): number {
  if (!values.length) {
    throw new Error('median of an empty list');
  }
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
