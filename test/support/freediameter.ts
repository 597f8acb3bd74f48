// The freeDiameter daemons of the interop tests are the benchmark's (src/bench/diameter-freediameter.ts):
// one implementation of peers.md §8.2–§8.4 for both.
export * from '../../src/bench/diameter-freediameter.js';
