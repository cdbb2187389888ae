import { createBackend } from '@backstage/backend-defaults';
import { cpuProfileOnSignal } from './cpuProfileOnSignal';
import { guardedBenchPlugin, plainBenchPlugin } from './createBenchPlugin';

// One process serving the same trivial route twice: with and without the guard.
cpuProfileOnSignal();
const backend = createBackend();
backend.add(guardedBenchPlugin);
backend.add(plainBenchPlugin);
backend.start();
