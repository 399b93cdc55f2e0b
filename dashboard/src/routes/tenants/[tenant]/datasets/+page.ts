import { api } from '$lib/api';
import type { PageLoad } from './$types';

export const load = (async ({ params }) => ({ datasets: await api.listDatasets(params.tenant) })) satisfies PageLoad;
