export * from './timestamp.js';
export * from './rotating-writer.js';
export * from './logger.js';
export * from './tracer.js';
export * from './rate-limit.js';
