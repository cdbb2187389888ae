/**
 * Types, permissions and a typed client of the Fawkes che-launcher plugin.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './permissions';
export * from './CheLauncherClient';
