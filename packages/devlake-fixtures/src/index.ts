/**
 * A DevLake domain-layer schema subset and a seeded, scalable fixture generator for the
 * devlake plugin's tests, its embedded demo database and benchmarks.
 *
 * @packageDocumentation
 */
export { createDevLakeSchema, dropDevLakeSchema, DEVLAKE_TABLES } from './schema';
export type { DevLakeTable } from './schema';
export { generateDevLakeData } from './generate';
export type { GenerateDevLakeDataOptions, GeneratedDevLakeSummary } from './generate';
export { createDemoDevLakeDatabase } from './demo';
export { devlakeModuleDemoDatabase } from './demoModule';
export type { DemoDevLakeDatabase } from './demo';
export { DevLakeFixture } from './DevLakeFixture';
export type { DeploymentCommitInput, DeploymentInput, IncidentInput, PullRequestInput, ReleaseInput } from './DevLakeFixture';
export {
  insertBatched,
  insertRows,
  projectRows,
  projectScopeIds,
  teamRows,
  toDevLakeDateTime,
} from './rows';
export type { Row } from './rows';
export { splitSqlStatements } from './sqlStatements';
export { DevLakeTestDatabases, parseMySqlUrl } from './testDatabases';
export type { DevLakeTestDatabase, DevLakeTestDatabaseId } from './testDatabases';
