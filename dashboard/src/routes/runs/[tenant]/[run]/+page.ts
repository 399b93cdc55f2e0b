import { error } from '@sveltejs/kit';
import { api } from '$lib/api';
import type { PageLoad } from './$types';

export const load = (async ({ params }) => {
  const id = Number(params.run);
  if (!Number.isInteger(id) || id < 1) error(404, { message: `"${params.run}" is not a run number` });
  return { run: await api.getRun(params.tenant, id) };
}) satisfies PageLoad;
