import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../engine/client/engine-client';
import { bodyOf, startEngine, type EngineProcess } from '../helpers/engine-process';

/** Every bad upload answers with an error that names row, field and problem, and stores nothing. */
describe('import validation over HTTP', () => {
  let engine: EngineProcess;
  const tenant = 'strict';

  beforeAll(async () => {
    engine = await startEngine({ env: { TRIAGE_MAX_UPLOAD_BYTES: '20000' } });
    await engine.client.createTenant(tenant);
  });
  afterAll(async () => {
    await engine?.stop();
  });

  async function rejected(body: string | Buffer, opts: { filename?: string; format?: string; mapping?: unknown } = {}) {
    const err = await engine.client.importFile(tenant, Buffer.isBuffer(body) ? body : Buffer.from(body), opts).catch((e) => e);
    expect(err).toBeInstanceOf(EngineError);
    const t = await engine.client.getTenant(tenant);
    expect(t.tickets).toBe(0);
    expect(t.fields).toEqual([]);
    return err as EngineError & { details: { issues: { code: string; message: string; row?: number; line?: number; column?: number; field?: string }[] } };
  }

  const ok = (i: number) => ({ title: `t${i}`, description: 'd', queue: 'A' });

  it('empty file', async () => {
    const err = await rejected('   \n', { filename: 'x.json' });
    expect(err.status).toBe(422);
    expect(err.details.issues[0].code).toBe('empty_file');
  });

  it('broken JSON, with line and column', async () => {
    const err = await rejected('[\n{"title": "a", "description": "b", "queue": "A"},\n{"title": "c" "description": "d"}\n]', { filename: 'x.json' });
    const issue = err.details.issues[0];
    expect(issue).toMatchObject({ code: 'invalid_json', line: 3 });
    expect(issue.column).toBeGreaterThan(1);
    expect(err.message).toMatch(/line 3/);
  });

  it('not an array', async () => {
    const err = await rejected('{"title": "a"}', { filename: 'x.json' });
    expect(err.details.issues[0].code).toBe('not_an_array');
  });

  it('a ticket with neither title nor description, named by row', async () => {
    const err = await rejected(JSON.stringify([ok(1), { title: ' ', description: null, queue: 'A' }]), { filename: 'x.json' });
    expect(err.details.issues[0]).toMatchObject({ code: 'missing_text', row: 2 });
    expect(err.message).toMatch(/row 2/);
  });

  it('a label that is not a string or number, with its field', async () => {
    const err = await rejected(JSON.stringify([ok(1), ok(2), { title: 'x', description: 'y', queue: { id: 3 } }]), { filename: 'x.json' });
    expect(err.details.issues[0]).toMatchObject({ code: 'invalid_label', row: 3, field: 'queue' });
  });

  it('mixed field sets', async () => {
    const err = await rejected(JSON.stringify([ok(1), { title: 'x', description: 'y', priority: 'P1' }]), { filename: 'x.json' });
    const issue = err.details.issues.find((i) => i.code === 'mixed_fields')!;
    expect(issue.row).toBe(2);
    expect(issue.message).toMatch(/queue|priority/);
  });

  it('duplicate ids', async () => {
    const err = await rejected(JSON.stringify([{ id: 7, ...ok(1) }, { id: 7, ...ok(2) }]), { filename: 'x.json' });
    expect(err.details.issues[0]).toMatchObject({ code: 'duplicate_id', row: 2 });
  });

  it('a file over the size limit answers 413', async () => {
    const big = JSON.stringify(Array.from({ length: 800 }, (_, i) => ok(i)));
    expect(big.length).toBeGreaterThan(20000);
    const err = await rejected(big, { filename: 'x.json' });
    expect(err.status).toBe(413);
    expect(err.code).toBe('file_too_large');
  });

  it('bytes that are not UTF-8', async () => {
    const bytes = Buffer.concat([Buffer.from('[{"title":"caf'), Buffer.from([0xe9]), Buffer.from('","description":"x","queue":"A"}]')]);
    const err = await rejected(bytes, { filename: 'x.json' });
    expect(err.details.issues[0]).toMatchObject({ code: 'invalid_utf8', line: 1 });
  });

  it('a broken JSON Lines line is named by line', async () => {
    const err = await rejected(`${JSON.stringify(ok(1))}\n{"title": \n`, { filename: 'x.jsonl' });
    expect(err.details.issues[0]).toMatchObject({ code: 'invalid_json', line: 2 });
  });

  it('a CSV mapping to a column that does not exist', async () => {
    const err = await rejected('Subject,Body,Prio\na,b,P1\n', { filename: 'x.csv', mapping: { title: 'Subject', description: 'Text' } });
    expect(err.details.issues[0].code).toBe('unknown_column');
    expect(err.message).toMatch(/Text/);
  });

  it('then a valid CSV with a mapping imports, and JSON Lines too', async () => {
    const csv = 'Subject,Body,Prio,Ticket #\n"Printer, 2nd floor","Jammed\nagain",P1,100\nVPN,drops,P2,101\n';
    const res = await engine.client.importFile(tenant, Buffer.from(csv), {
      filename: 'x.csv',
      mapping: { title: 'Subject', description: 'Body', id: 'Ticket #', fields: { priority: 'Prio' } },
    });
    expect(res).toMatchObject({ tickets: 2, inserted: 2, fields: ['priority'], format: 'csv' });
    const jsonl = `${JSON.stringify({ id: 'j1', title: 'a', description: 'b', priority: 'P3' })}\n\n${JSON.stringify({ id: 'j2', title: 'c', description: 'd', priority: 'P1' })}\n`;
    expect(await engine.client.importFile(tenant, Buffer.from(jsonl), { filename: 'x.jsonl' })).toMatchObject({ inserted: 2, format: 'jsonl' });
    const fields = await engine.client.getFields(tenant);
    expect(fields.find((f) => f.name === 'priority')!.choices.map((c) => c.value).sort()).toEqual(['P1', 'P2', 'P3']);
    const { tickets } = await bodyOf(await fetch(`${engine.url}/api/tenants/${tenant}/tickets?q=floor`));
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ id: '100', title: 'Printer, 2nd floor', description: 'Jammed\nagain', fields: { priority: 'P1' } });
  });
});
