export * from './db';
export * as schema from './schema';
