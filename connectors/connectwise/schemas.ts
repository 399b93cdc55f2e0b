/**
 * zod schemas for the ConnectWise responses we read (facts B5, B6, B7). Only the fields we use are declared;
 * the rest is stripped. ConnectWise leaves absent references out of the JSON, so every reference is nullish.
 */
import { z } from 'zod';
import { ConnectWiseError } from './errors';

const id = z.number().int();
const ref = z.object({ id, name: z.string().nullish() });
const flag = z.boolean().nullish().transform((v) => v ?? false);

export const ticketSchema = z.object({
  id,
  summary: z.string().nullish(),
  board: ref.nullish(),
  type: ref.nullish(),
  subType: ref.nullish(),
  item: ref.nullish(),
  priority: ref.nullish(),
  closedFlag: flag,
  _info: z.object({ lastUpdated: z.string(), dateEntered: z.string().nullish() }),
});

export const noteSchema = z.object({
  id,
  text: z.string().nullish(),
  detailDescriptionFlag: flag,
});

export const boardSchema = z.object({ id, name: z.string(), inactiveFlag: flag });
export const boardTypeSchema = z.object({ id, name: z.string(), inactiveFlag: flag, board: ref.nullish() });
export const boardSubTypeSchema = z.object({ id, name: z.string(), inactiveFlag: flag });
export const boardItemSchema = z.object({ id, name: z.string(), inactiveFlag: flag });
export const associationSchema = z.object({
  id: id.nullish(),
  type: ref.nullish(),
  subType: ref.nullish(),
  item: ref.nullish(),
});
export const prioritySchema = z.object({ id, name: z.string(), sortOrder: z.number().nullish() });
export const countSchema = z.object({ count: z.number().int() });

export type CwTicketRow = z.infer<typeof ticketSchema>;
export type CwNoteRow = z.infer<typeof noteSchema>;
export type CwBoardRow = z.infer<typeof boardSchema>;
export type CwBoardTypeRow = z.infer<typeof boardTypeSchema>;
export type CwSubTypeRow = z.infer<typeof boardSubTypeSchema>;
export type CwItemRow = z.infer<typeof boardItemSchema>;
export type CwAssociationRow = z.infer<typeof associationSchema>;
export type CwPriorityRow = z.infer<typeof prioritySchema>;

/** Validates a response body; the error names the endpoint and the first bad field, never the payload. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const at = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
  throw new ConnectWiseError(0, 'UnexpectedResponse', `ConnectWise ${what} returned an unexpected shape${at}: ${issue?.message}`);
}

export const listOf = <T extends z.ZodType>(schema: T) => z.array(schema);
