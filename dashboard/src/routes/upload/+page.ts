import { api } from '$lib/api';
import type { PageLoad } from './$types';

export const load = (async ({ depends }) => {
  depends('app:tenants');
  return { tenants: await api.listTenants() };
}) satisfies PageLoad;
