import { api } from '$lib/api';
import type { PageLoad } from './$types';

export const load = (async ({ params }) => ({ fields: await api.getFields(params.tenant) })) satisfies PageLoad;
