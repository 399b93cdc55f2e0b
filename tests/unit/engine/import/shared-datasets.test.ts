/**
 * Parses the real public datasets in ../shared/data (outside the repo). Where they are absent the tests are
 * skipped, and the skip says why.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deriveFieldSchemas, parseTicketFile } from '../../../../engine/import';

const DATA_DIR = fileURLToPath(new URL('../../../../../shared/data/', import.meta.url));

const datasets = [
  { file: 'support-tickets.json', tickets: 4053, fields: ['ticket_type', 'queue_id_name', 'priority_name'], classes: [4, 10, 3] },
  { file: 'it-topic-groups.json', tickets: 3805, fields: ['issue_type'], classes: [8] },
];

for (const dataset of datasets) {
  const path = resolve(DATA_DIR, dataset.file);
  const present = existsSync(path);
  describe.skipIf(!present)(`shared dataset ${dataset.file}${present ? '' : ` (skipped: ${path} is absent)`}`, () => {
    it(`parses ${dataset.tickets} tickets`, () => {
      const input = readFileSync(path);
      const result = parseTicketFile(input, { filename: dataset.file });
      expect(result.tickets).toHaveLength(dataset.tickets);
      expect(result.fields).toEqual(dataset.fields);
      expect(result.warnings).toEqual([]);
      expect(result.tickets.every((t) => t.title !== '' || t.description !== '')).toBe(true);
      expect(deriveFieldSchemas(result.tickets, result.fields).map((s) => s.choices.length)).toEqual(dataset.classes);
    });
  });
}
