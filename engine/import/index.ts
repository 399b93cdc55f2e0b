/** Ticket file import: JSON, JSON Lines and CSV uploads parsed into validated tickets (all-or-nothing). */
export { ImportError, type ImportIssue } from './issues';
export type { CsvMapping } from './csv-columns';
export type { ImportFormat } from './detect-format';
export { parseTicketFile, type ParseOptions, type ParsedImport } from './parse-ticket-file';
export { deriveFieldSchemas } from './field-schemas';
