export { api, type CsvMapping } from './client';
export { ApiError, messageOf } from './errors';
export { followRun } from './follow-run';
export type * from './types';
