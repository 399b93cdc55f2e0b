import type { HandleClientError } from '@sveltejs/kit';
import { ApiError } from '$lib/api';

/** Errors thrown while loading a page become a message the error page can show (never a blank page). */
export const handleError: HandleClientError = ({ error }) => {
  if (error instanceof ApiError) return { message: error.message, code: error.code, engineStatus: error.status };
  console.error(error);
  return { message: error instanceof Error ? error.message : 'Something unexpected went wrong in the dashboard.' };
};
