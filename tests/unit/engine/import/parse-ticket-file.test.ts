import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ImportError, deriveFieldSchemas, parseTicketFile } from '../../../../engine/import';
import { bytes, codes, issuesOf, json } from './import-test-helpers';

const sample = [
  { id: 1, title: 'VPN drops', description: 'Disconnects hourly', ticket_type: 'Incident', priority: 2 },
  { id: 'B-2', title: 'New laptop', description: '', ticket_type: 'Service Request', priority: null },
];

describe('parseTicketFile', () => {
  it('parses the prototype JSON format with fields, tickets and the sha256 of the raw bytes', () => {
    const input = bytes(json(sample));
    const result = parseTicketFile(input, { filename: 'tickets.json' });
    expect(result.format).toBe('json');
    expect(result.fields).toEqual(['ticket_type', 'priority']);
    expect(result.tickets).toEqual([
      { id: '1', title: 'VPN drops', description: 'Disconnects hourly', fields: { ticket_type: 'Incident', priority: '2' } },
      { id: 'B-2', title: 'New laptop', description: '', fields: { ticket_type: 'Service Request' } },
    ]);
    expect(result.warnings).toEqual([]);
    expect(result.sha256).toBe(createHash('sha256').update(input).digest('hex'));
  });

  it('parses JSON Lines and CSV to the same tickets', () => {
    const jsonl = sample.map((t) => JSON.stringify(t)).join('\n\n');
    const csv = 'id,title,description,ticket_type,priority\n1,VPN drops,Disconnects hourly,Incident,2\nB-2,New laptop,,Service Request,\n';
    const fromJson = parseTicketFile(bytes(json(sample)));
    const fromJsonl = parseTicketFile(bytes(jsonl), { filename: 'x.ndjson' });
    const fromCsv = parseTicketFile(bytes(csv), { filename: 'x.csv' });
    expect(fromJsonl.format).toBe('jsonl');
    expect(fromCsv.format).toBe('csv');
    expect(fromJsonl.tickets).toEqual(fromJson.tickets);
    expect(fromCsv.tickets).toEqual(fromJson.tickets);
  });

  it('keeps line breaks of quoted CSV text and trims it', () => {
    const csv = 'Subject,Body,Prio\n"Printer","  Line 1\r\nLine 2  ",Low\n';
    const result = parseTicketFile(bytes(csv), { csv: { title: 'Subject', description: 'Body', fields: { priority: 'Prio' } } });
    expect(result.tickets[0]).toEqual({ title: 'Printer', description: 'Line 1\nLine 2', fields: { priority: 'Low' } });
  });

  it('accepts and strips a UTF-8 BOM, and the sha256 still covers it', () => {
    const input = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes(json(sample))]);
    const result = parseTicketFile(input);
    expect(result.tickets).toHaveLength(2);
    expect(result.sha256).toBe(createHash('sha256').update(input).digest('hex'));
  });

  it('truncates long text with a warning, and caps warnings with a summary', () => {
    const tickets = Array.from({ length: 150 }, (_, i) => ({ title: 'x'.repeat(20), description: '', n: String(i) }));
    const result = parseTicketFile(bytes(json(tickets)), { maxTextLength: 5 });
    expect(result.tickets[0].title).toBe('xxxxx');
    expect(result.warnings).toHaveLength(101);
    expect(result.warnings[0].code).toBe('text_truncated');
    expect(result.warnings[100]).toMatchObject({ code: 'more_warnings', message: 'and 50 more warnings' });
  });

  it('throws an ImportError whose message counts the other problems', () => {
    const tickets = Array.from({ length: 150 }, () => ({ title: '', description: '', p: 'x' }));
    let error: unknown;
    try {
      parseTicketFile(bytes(json(tickets)));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ImportError);
    const importError = error as ImportError;
    expect(importError.issues).toHaveLength(100);
    expect(importError.message).toBe('row 1: the ticket has neither a title nor a description (and 149 more problems)');
  });

  it('feeds deriveFieldSchemas', () => {
    const result = parseTicketFile(bytes(json(sample)));
    expect(deriveFieldSchemas(result.tickets, result.fields).map((s) => s.choices.map((c) => c.value))).toEqual([
      ['Incident', 'Service Request'],
      ['2'],
    ]);
  });
});

describe('every problem has its own code', () => {
  const ok = { title: 'a', description: 'b', p: 'x' };
  it.each([
    ['empty_file', new Uint8Array(0), {}],
    ['empty_file', ' \n ', {}],
    ['file_too_large', json([ok]), { maxBytes: 10 }],
    ['invalid_utf8', new Uint8Array([0x5b, 0xff, 0x5d]), {}],
    ['invalid_json', '[{"title": "a",}]', {}],
    ['invalid_json', '{"title":"a","p":"x"}\n{"title":\n', { format: 'jsonl' }],
    ['not_an_array', '{"title": "a"}', {}],
    ['not_an_object', '[{"title":"a","p":"x"}, 5]', {}],
    ['no_tickets', '[]', {}],
    ['missing_text', json([ok, { title: null, description: ' ', p: 'x' }]), {}],
    ['invalid_text', json([{ title: ['a'], description: 'b', p: 'x' }]), {}],
    ['invalid_label', json([{ title: 'a', p: true }]), {}],
    ['mixed_fields', json([ok, { title: 'a', q: 'x' }]), {}],
    ['duplicate_id', json([{ ...ok, id: 5 }, { ...ok, id: 5 }]), {}],
    ['no_fields', json([{ title: 'a', description: 'b' }]), {}],
    ['invalid_field_name', json([{ title: 'a', 'x\u0007': 'v' }]), {}],
    ['invalid_csv', 'title,p\na,b,c\n', { format: 'csv' }],
    ['unknown_column', 'title,p\na,b\n', { format: 'csv', csv: { fields: { priority: 'prio' } } }],
  ] as const)('%s', (code, input, opts) => {
    const issues = issuesOf(input as string | Uint8Array, opts);
    expect(codes(issues)).toContain(code);
    expect(issues[0].message.length).toBeGreaterThan(10);
  });

  it('checks the size before decoding', () => {
    const issues = issuesOf(new Uint8Array([0xff, 0xff, 0xff]), { maxBytes: 2 });
    expect(codes(issues)).toEqual(['file_too_large']);
  });
});
