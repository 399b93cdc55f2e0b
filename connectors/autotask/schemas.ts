/**
 * zod schemas for what Autotask sends back (facts A3-A10): validated at the edge, plain types inside.
 * Lenient where the sources disagree (picklist values as strings or ints, optional flags), strict on what the
 * connector relies on (ids, wrappers, page details).
 */
import { z } from 'zod';

const idLike = z.union([z.string(), z.number()]).transform((v) => String(v));

export const zoneInfoSchema = z.object({
  zoneName: z.string().nullish(),
  url: z.string().min(1),
  webUrl: z.string().nullish(),
  ci: z.number().nullish(),
});
export type ZoneInfo = z.infer<typeof zoneInfoSchema>;

export const errorBodySchema = z.object({ errors: z.array(z.string()) });

export const pageSchema = z.object({
  items: z.array(z.unknown()),
  pageDetails: z.object({
    count: z.number().nullish(),
    requestCount: z.number().nullish(),
    prevPageUrl: z.string().nullish(),
    nextPageUrl: z.string().nullish(),
  }),
});

export const picklistValueSchema = z.object({
  value: idLike,
  label: z.string(),
  isDefaultValue: z.boolean().nullish(),
  sortOrder: z.number().nullish(),
  // "" or null when the picklist is independent (facts A7).
  parentValue: z
    .union([z.string(), z.number()])
    .nullish()
    .transform((v) => (v === null || v === undefined || v === '' ? null : String(v))),
  isActive: z.boolean().nullish(),
  isSystem: z.boolean().nullish(),
});
export type PicklistValue = z.infer<typeof picklistValueSchema>;

export const fieldInfoSchema = z.object({
  name: z.string(),
  dataType: z.string().nullish(),
  isPickList: z.boolean().nullish(),
  isReference: z.boolean().nullish(),
  referenceEntityType: z.string().nullish(),
  picklistValues: z.array(picklistValueSchema).nullish(),
  picklistParentValueField: z.string().nullish(),
});
export type FieldInfo = z.infer<typeof fieldInfoSchema>;

export const fieldsResponseSchema = z.object({ fields: z.array(fieldInfoSchema) });

export const entityInfoSchema = z.object({
  info: z.object({ name: z.string().nullish(), canQuery: z.boolean().nullish(), canUpdate: z.boolean().nullish(), canCreate: z.boolean().nullish() }),
});

const ref = z.union([z.number(), z.string()]).nullish();

/** Only what the connector reads; other ticket fields pass through unchecked. */
export const ticketSchema = z.looseObject({
  id: z.number().int(),
  title: z.string().nullish(),
  description: z.string().nullish(),
  createDate: z.string().nullish(),
  lastActivityDate: z.string().nullish(),
  status: ref,
  ticketType: ref,
  issueType: ref,
  subIssueType: ref,
  priority: ref,
  queueID: ref,
  billingCodeID: ref,
});
export type TicketJson = z.infer<typeof ticketSchema>;

export const billingCodeSchema = z.looseObject({
  id: z.number().int(),
  name: z.string().nullish(),
  isActive: z.boolean().nullish(),
});

export const itemIdSchema = z.object({ itemId: z.number() });
export const queryCountSchema = z.object({ queryCount: z.number() });

export const thresholdSchema = z.object({
  externalRequestThreshold: z.number(),
  requestThresholdTimeframe: z.number(),
  currentTimeframeRequestCount: z.number(),
});

/** A short, readable summary of why a body did not match (first few issues). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}
