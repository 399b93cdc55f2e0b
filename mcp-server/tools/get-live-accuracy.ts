import { z } from 'zod';
import { ok, pct } from '../results';
import { tenantArg } from '../shapes';
import { defineTool } from './define-tool';

const Output = z.object({
  tenant: z.string(),
  days: z.number(),
  fields: z.array(
    z.object({
      field: z.string(),
      n: z.number(),
      correct: z.number(),
      accuracy: z.number(),
      applied: z.object({ n: z.number(), correct: z.number(), accuracy: z.number().nullable() }),
    }),
  ),
  daily: z.array(z.object({ day: z.string(), field: z.string(), n: z.number(), accuracy: z.number() })),
});

export const getLiveAccuracy = defineTool({
  name: 'get_live_accuracy',
  title: 'Get live accuracy',
  description:
    "How right triage has been in production: predictions of synced tickets scored against the technicians' final values once the " +
    'tickets were completed, per field (all, and those written back) and per day. Empty until syncs have seen completed tickets.',
  input: z.object({ tenant: tenantArg, days: z.number().int().min(1).max(3650).default(90).describe('Look back this many days') }),
  output: Output,
  annotations: { readOnlyHint: true },
  async run({ tenant, days }, ctx) {
    const live = await ctx.client.liveAccuracy(tenant, days);
    const lines = live.fields.map((f) => `- ${f.field}: ${pct(f.accuracy)} of ${f.n}; written back ${f.applied.n} at ${pct(f.applied.accuracy)}`);
    const text = lines.length ? `Live accuracy of ${tenant} (last ${days} days):\n${lines.join('\n')}` : `No completed ticket of ${tenant} has scored a prediction in the last ${days} days yet.`;
    return ok(Output, { tenant, days, ...live }, text);
  },
});
