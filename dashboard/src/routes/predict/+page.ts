import { api } from '$lib/api';
import type { PageLoad } from './$types';

export const load = (async () => ({ tenants: await api.listTenants() })) satisfies PageLoad;
