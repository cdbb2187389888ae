/**
 * Test helpers for plugins that use the api guard.
 *
 * @packageDocumentation
 */
export { createProbePlugin } from './createProbePlugin';
export { createOpenApiResponseChecker } from './openApiResponses';
export type { CheckedResponse } from './openApiResponses';
