import type { EngineContext } from '../context';
import { ApiError } from '../errors';
import { deriveFieldSchemas, ImportError, parseTicketFile, type CsvMapping } from '../import';
import { storeImport } from '../store/tickets';

export interface ImportFileOptions {
  format?: 'json' | 'jsonl' | 'csv';
  filename?: string;
  csv?: CsvMapping;
  /** Validate and preview without storing anything. */
  dryRun?: boolean;
}

/**
 * Validates an uploaded file completely, then stores it in one transaction. An invalid file stores nothing:
 * the error lists every problem found with its row, field and value.
 */
export function importFile(ctx: EngineContext, tenantId: string, bytes: Uint8Array, opts: ImportFileOptions = {}) {
  let parsed;
  try {
    parsed = parseTicketFile(bytes, {
      format: opts.format,
      filename: opts.filename,
      csv: opts.csv,
      maxBytes: ctx.config.maxUploadBytes,
    });
  } catch (err) {
    if (err instanceof ImportError) {
      const tooLarge = err.issues.some((i) => i.code === 'file_too_large');
      throw new ApiError(tooLarge ? 413 : 422, tooLarge ? 'file_too_large' : 'invalid_import', err.message, { issues: err.issues });
    }
    throw err;
  }
  const base = { format: parsed.format, fields: parsed.fields, warnings: parsed.warnings, tickets: parsed.tickets.length };
  if (opts.dryRun) {
    return { ...base, importId: 0, inserted: 0, updated: 0, dryRun: true, preview: parsed.tickets.slice(0, 20) };
  }
  const summary = storeImport(ctx.db, tenantId, {
    format: parsed.format,
    filename: opts.filename,
    sha256: parsed.sha256,
    fields: parsed.fields,
    tickets: parsed.tickets,
    schemas: deriveFieldSchemas(parsed.tickets, parsed.fields),
    warnings: parsed.warnings,
  });
  ctx.registry.refreshSchema(tenantId);
  ctx.log.info(`tenant ${tenantId}: imported ${summary.tickets} tickets (${summary.inserted} new, ${summary.updated} updated)`);
  return { ...base, ...summary, dryRun: false };
}
