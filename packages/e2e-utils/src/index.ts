export { freePort, startBackendProcess } from './startBackendProcess';
export type { BackendProcess, StartBackendProcessOptions } from './startBackendProcess';
