// Services of aregcmd.md §7.3.5 that the engine executes itself, independent of the protocol: `local`
// (users, passwords, check items, profile merge) and `file` (accounting records with group commit).
export * from './local.js';
export * from './file.js';
export * from './detail.js';

/** Per-service counters (`Service Statistics:`), declared in section `services`. */
export const SERVICE_COUNTERS = ['requests', 'accepts', 'rejects', 'accountingRequests', 'accountingResponses', 'errors'] as const;
export const SERVICES_SECTION = 'services';
