import { api } from '$lib/api';
import type { LayoutLoad } from './$types';

export const load = (async ({ params, depends }) => {
  depends('app:tenant');
  return { tenant: await api.getTenant(params.tenant) };
}) satisfies LayoutLoad;
