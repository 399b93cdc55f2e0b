/**
 * ConnectWise's error shape `{code, message, errors?: [{code, message, field?}]}` worded for people, with every
 * secret scrubbed: error text ends up in run events, logs and the dashboard.
 */
import { z } from 'zod';

export class ConnectWiseError extends Error {
  constructor(
    /** HTTP status; 0 when no response came (network, timeout after the retries). */
    readonly status: number,
    /** ConnectWise's `code` (e.g. Unauthorized, InvalidObject), or our own for client-side failures. */
    readonly code: string,
    message: string,
    /** The messages of `errors[]`, one per invalid field. */
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'ConnectWiseError';
  }
}

const cwErrorBody = z.object({
  code: z.string().optional(),
  message: z.string().optional(),
  errors: z
    .array(z.object({ code: z.string().optional(), message: z.string().optional(), field: z.string().optional() }))
    .nullish(),
});

export interface CwErrorInfo {
  code: string;
  message: string;
  details: string[];
}

/** Reads the API's error body; anything else (HTML from a proxy, empty) becomes a short generic text. */
export function readErrorBody(body: unknown, status: number): CwErrorInfo {
  const parsed = cwErrorBody.safeParse(body);
  if (!parsed.success) {
    const text = typeof body === 'string' ? body.replace(/\s+/g, ' ').slice(0, 200) : '';
    return { code: `HTTP${status}`, message: text || `HTTP ${status}`, details: [] };
  }
  const details = (parsed.data.errors ?? []).map((e) => [e.field, e.message ?? e.code].filter(Boolean).join(': '));
  return { code: parsed.data.code ?? `HTTP${status}`, message: parsed.data.message ?? `HTTP ${status}`, details };
}

/** Removes every occurrence of each secret (and its Basic-auth encoding) from a text. */
export function makeScrubber(secrets: string[]): (text: string) => string {
  const needles = secrets.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const needle of needles) out = out.split(needle).join('[redacted]');
    return out;
  };
}
