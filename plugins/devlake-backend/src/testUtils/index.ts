/**
 * For tests and benchmarks outside this package that must run devlake's own database access
 * and calculator in-process, exactly as the routes run them (e.g. to profile each query).
 * Not part of the plugin's API.
 *
 * @packageDocumentation
 */
export { DevLakeDatabase } from '../services/DevLakeDatabase';
export { DoraRepository } from '../services/DoraRepository';
export { DoraMetricsCalculator } from '../services/DoraMetricsCalculator';
