export * from './names.js';
export * from './registry.js';
export * from './format.js';
