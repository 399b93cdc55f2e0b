import { api } from '$lib/api';
import type { PageLoad } from './$types';

const PAGE_SIZE = 25;

export const load = (async ({ params, url }) => {
  const q = url.searchParams.get('q') ?? '';
  const offset = Math.max(0, Number(url.searchParams.get('offset')) || 0);
  const page = await api.listTickets(params.tenant, { q: q || undefined, limit: PAGE_SIZE, offset });
  return { ...page, q, offset, pageSize: PAGE_SIZE };
}) satisfies PageLoad;
