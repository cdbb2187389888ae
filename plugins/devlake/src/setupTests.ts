import '@testing-library/jest-dom';
import ResizeObserver from 'resize-observer-polyfill';

// jsdom has no ResizeObserver; recharts' ResponsiveContainer needs one.
globalThis.ResizeObserver ??= ResizeObserver;
