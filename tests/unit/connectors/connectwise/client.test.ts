import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectWiseError } from '../../../../connectors/connectwise/errors';
import type { ConnectWiseMock } from '../../../../connectors/connectwise/mock-server';
import { api, collect, connectorFor, startMock } from './helpers';

let mock: ConnectWiseMock;
beforeAll(async () => {
  mock = await startMock({ tenant: { tickets: 60, completedShare: 0.5 } });
});
afterAll(() => mock.close());

async function failure(p: Promise<unknown>): Promise<ConnectWiseError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConnectWiseError);
  return err as ConnectWiseError;
}

describe('discovery and credentials', () => {
  it('discovers the codebase without auth and sends Basic auth, clientId and the versioned Accept', async () => {
    const from = mock.requests.length;
    await connectorFor(mock).connect();
    const sent = mock.requests.slice(from);
    expect(sent[0].target).toBe(`/login/companyinfo/${mock.credentials.companyId}`);
    expect(sent.slice(1).every((r) => r.target.startsWith(`/${mock.codebase}apis/3.0/`))).toBe(true);
    expect(sent[1].headers.accept).toBe('application/vnd.connectwise.com+json; version=2025.8');
  });

  it('discovers again after a 404 when the codebase moved, and carries on', async () => {
    const connector = connectorFor(mock);
    await connector.connect();
    try {
      mock.setCodebase('v2026_1/');
      const from = mock.requests.length;
      const schemas = await connector.fetchFieldSchemas();
      expect(schemas).toHaveLength(5);
      const infos = mock.requests.slice(from).filter((r) => r.target.startsWith('/login/companyinfo/'));
      expect(infos).toHaveLength(1);
    } finally {
      mock.setCodebase('v4_6_release/');
    }
  });

  it('reports a 404 that is not a codebase move as itself', async () => {
    const connector = connectorFor(mock);
    const err = await failure(connector.updateTicket('999999', { priority: '1' }));
    expect(err.status).toBe(404);
    expect(err.message).toMatch(/PATCH \/service\/tickets\/999999 answered HTTP 404/);
  });

  it('fails clearly on an unknown company', async () => {
    const err = await failure(connectorFor(mock, { companyId: 'nosuchco' }).connect());
    expect(err.code).toBe('UnknownCompany');
    expect(err.message).toContain('nosuchco');
  });

  const secretsOf = (o: { privateKey: string; publicKey: string; clientId: string }) => [o.privateKey, o.publicKey, o.clientId];

  it.each([
    ['private key', { privateKey: 'WrongPrivateKey123' }],
    ['public key', { publicKey: 'WrongPublicKey456' }],
    ['clientId', { clientId: 'f00dfeed-0000-4000-8000-000000000000' }],
  ])('rejects a wrong %s with a 401 that echoes no key', async (_what, wrong) => {
    const creds = { ...mock.credentials, ...wrong };
    const err = await failure(connectorFor(mock, wrong).connect());
    expect(err.status).toBe(401);
    expect(err.code).toBe('Unauthorized');
    expect(err.message).toMatch(/rejected the credentials for company "examplemsp"/);
    const text = `${err.message} ${err.stack} ${JSON.stringify(err)}`;
    const basic = Buffer.from(`${creds.companyId}+${creds.publicKey}:${creds.privateKey}`).toString('base64');
    for (const secret of [...secretsOf(creds), ...secretsOf(mock.credentials), basic]) expect(text).not.toContain(secret);
  });

  it('scrubs keys even when a server (or proxy) echoes them back', async () => {
    const { privateKey, clientId, publicKey } = mock.credentials;
    // The real mock, behind a "proxy" that answers 401 with the caller's secrets in the message.
    const echoing: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!String(input).includes('/service/boards')) return res;
      const message = `key ${publicKey}:${privateKey} with client ${clientId} is not allowed`;
      return new Response(JSON.stringify({ code: 'Unauthorized', message, errors: [{ code: 'Bad', message: privateKey }] }), { status: 401 });
    };
    const err = await failure(connectorFor(mock, { http: { fetch: echoing } }).connect());
    const text = `${err.message} ${err.details.join(' ')}`;
    expect(text).toContain('[redacted]');
    for (const secret of [privateKey, publicKey, clientId]) expect(text).not.toContain(secret);
  });

  it('refuses boardIds the tenant does not have', async () => {
    const err = await failure(connectorFor(mock, { boardIds: [1, 999] }).connect());
    expect(err.message).toMatch(/no service board with id 999/);
  });
});

describe('field schemas', () => {
  it('mirror the boards typeSubTypeItemAssociations exactly, with composite values and parents', async () => {
    const schemas = await connectorFor(mock).fetchFieldSchemas();
    const field = (name: string) => schemas.find((s) => s.name === name)!;
    const assoc = [...mock.state.associations.values()];
    const pairs = new Set(assoc.filter((a) => a.subType).map((a) => `${a.type.id}:${a.subType!.id}`));
    const triples = new Set(assoc.filter((a) => a.subType && a.item).map((a) => `${a.type.id}:${a.subType!.id}:${a.item!.id}`));
    expect(new Set(field('subtype').choices.map((c) => c.value))).toEqual(pairs);
    expect(field('subtype').choices).toHaveLength(pairs.size);
    expect(new Set(field('item').choices.map((c) => c.value))).toEqual(triples);
    for (const c of field('subtype').choices) expect(c.parent).toBe(c.value.split(':')[0]);
    for (const c of field('item').choices) expect(c.parent).toBe(c.value.split(':').slice(0, 2).join(':'));
    for (const c of field('type').choices) expect(c.parent).toBe(String(mock.state.types.get(Number(c.value))!.board.id));
    const names = new Set([...mock.state.subtypes.values()].map((s) => s.name));
    for (const c of field('subtype').choices) expect(names.has(c.label)).toBe(true);
    // A subtype shared by two types appears once under each.
    const shared = [...mock.state.subtypes.values()].find((s) => mock.state.subtypeView(s).typeAssociationIds.length === 2)!;
    expect(field('subtype').choices.filter((c) => c.value.endsWith(`:${shared.id}`))).toHaveLength(2);
  });

  it('keep inactive boards, types, subtypes and items, flagged inactive', async () => {
    const schemas = await connectorFor(mock).fetchFieldSchemas();
    const field = (name: string) => schemas.find((s) => s.name === name)!;
    const inactiveBoard = [...mock.state.boards.values()].find((b) => b.inactiveFlag)!;
    expect(field('board').choices.find((c) => c.value === String(inactiveBoard.id))?.active).toBe(false);
    const legacy = [...mock.state.types.values()].find((t) => t.inactiveFlag)!;
    expect(field('type').choices.find((c) => c.value === String(legacy.id))?.active).toBe(false);
    const modem = [...mock.state.subtypes.values()].find((s) => s.name === 'Dial-up Modem' && s.board.id === 1)!;
    expect(field('subtype').choices.filter((c) => c.value.endsWith(`:${modem.id}`)).every((c) => !c.active)).toBe(true);
    const fax = [...mock.state.items.values()].find((i) => i.name === 'Fax Line' && i.board.id === 1)!;
    const faxChoices = field('item').choices.filter((c) => c.value.endsWith(`:${fax.id}`));
    expect(faxChoices.length).toBeGreaterThan(0);
    expect(faxChoices.every((c) => !c.active)).toBe(true);
  });

  it('follow renames and retirements in the reference data', async () => {
    const board = 2;
    const type = mock.state.addType(board, 'Cloud');
    const sub = mock.state.addSubType(board, 'Azure AD', [type.id]);
    const item = mock.state.addItem(board, 'Conditional Access', [[type.id, sub.id]]);
    mock.state.rename('subtype', sub.id, 'Entra ID');
    mock.state.setInactive('item', item.id);
    const schemas = await connectorFor(mock, { boardIds: [board] }).fetchFieldSchemas();
    const field = (name: string) => schemas.find((s) => s.name === name)!;
    expect(field('board').choices.map((c) => c.value)).toEqual([String(board)]);
    expect(field('type').choices).toContainEqual({ value: String(type.id), label: 'Cloud', active: true, parent: String(board) });
    expect(field('subtype').choices).toContainEqual({ value: `${type.id}:${sub.id}`, label: 'Entra ID', active: true, parent: String(type.id) });
    expect(field('item').choices).toContainEqual({
      value: `${type.id}:${sub.id}:${item.id}`,
      label: 'Conditional Access',
      active: false,
      parent: `${type.id}:${sub.id}`,
    });
  });
});

describe('tickets', () => {
  it('map title, description from the detail note, fields, dates and completion', async () => {
    const pages = await collect(connectorFor(mock), { pageSize: 25 });
    const tickets = pages.flat();
    expect(tickets).toHaveLength(mock.state.tickets.size);
    for (const t of tickets) {
      const cw = mock.state.tickets.get(Number(t.externalId))!;
      expect(t.title).toBe(cw.summary);
      expect(t.description).toBe(mock.state.notesOf(cw.id).find((n) => n.detailDescriptionFlag)!.text);
      expect(t.completed).toBe(cw.closedFlag);
      expect(t.updatedAt).toBe(new Date(cw._info.lastUpdated).toISOString());
      expect(t.createdAt).toBe(new Date(cw._info.dateEntered!).toISOString());
      expect(t.fields.board).toBe(String(cw.board.id));
      expect(t.fields.subtype).toBe(cw.subType ? `${cw.type!.id}:${cw.subType.id}` : null);
      expect(t.fields.item).toBe(cw.item ? `${cw.type!.id}:${cw.subType!.id}:${cw.item.id}` : null);
    }
    expect(tickets.some((t) => t.completed) && tickets.some((t) => !t.completed)).toBe(true);
    expect(tickets.some((t) => t.fields.item !== null)).toBe(true);
  });

  it('take the first detailDescriptionFlag note, not later or internal ones', async () => {
    const t = mock.state.addTicket({ summary: 'VPN drops', description: 'The VPN drops every hour.' });
    mock.state.addNote(t.id, { text: 'Internal: checked logs', internalAnalysisFlag: true });
    mock.state.addNote(t.id, { text: 'Customer adds: also at home', detailDescriptionFlag: true });
    const [page] = await collect(connectorFor(mock), { afterId: String(t.id - 1) });
    expect(page.find((p) => p.externalId === String(t.id))?.description).toBe('The VPN drops every hour.');
    const bare = mock.state.addTicket({ summary: 'No text' });
    mock.state.notes.delete(bare.id);
    const [again] = await collect(connectorFor(mock), { afterId: String(bare.id - 1) });
    expect(again[0].description).toBe('');
  });

  it('sweep incrementally: since picks up touched and closed tickets with their final values', async () => {
    const connector = connectorFor(mock);
    const since = mock.state.now();
    const [a, b] = [...mock.state.tickets.values()].filter((t) => !t.closedFlag).slice(0, 2);
    mock.state.touchTicket(a.id);
    const assoc = [...mock.state.associations.values()].find((x) => x.board.id === b.board.id && x.item)!;
    mock.state.closeTicket(b.id, { typeId: assoc.type.id, subTypeId: assoc.subType!.id, itemId: assoc.item!.id });
    const got = (await collect(connector, { since })).flat();
    expect(got.map((t) => t.externalId).sort()).toEqual([String(a.id), String(b.id)].sort());
    const closed = got.find((t) => t.externalId === String(b.id))!;
    expect(closed.completed).toBe(true);
    expect(closed.fields.item).toBe(`${assoc.type.id}:${assoc.subType!.id}:${assoc.item!.id}`);
  });

  it('skip inactive boards by default and keep to boardIds when given', async () => {
    const dead = [...mock.state.boards.values()].find((b) => b.inactiveFlag)!;
    const t = mock.state.addTicket({ summary: 'On a retired board', boardId: dead.id });
    const all = (await collect(connectorFor(mock))).flat();
    expect(all.some((x) => x.externalId === String(t.id))).toBe(false);
    const one = (await collect(connectorFor(mock, { boardIds: [2] }))).flat();
    expect(one.length).toBeGreaterThan(0);
    expect(one.every((x) => x.fields.board === '2')).toBe(true);
  });
});

describe('write-back', () => {
  it('patches only the given fields with {id} references', async () => {
    const t = [...mock.state.tickets.values()].find((x) => x.type && x.board.id === 1 && !x.closedFlag)!;
    const assoc = [...mock.state.associations.values()].find((x) => x.board.id === 1 && x.item && x.type.id !== t.type!.id)!;
    const before = structuredClone(t);
    const from = mock.requests.length;
    await connectorFor(mock).updateTicket(String(t.id), {
      type: String(assoc.type.id),
      subtype: `${assoc.type.id}:${assoc.subType!.id}`,
      item: `${assoc.type.id}:${assoc.subType!.id}:${assoc.item!.id}`,
    });
    const patch = mock.requests.slice(from).find((r) => r.method === 'PATCH')!;
    expect(patch.body).toEqual([
      { op: 'replace', path: 'type', value: { id: assoc.type.id } },
      { op: 'replace', path: 'subType', value: { id: assoc.subType!.id } },
      { op: 'replace', path: 'item', value: { id: assoc.item!.id } },
    ]);
    const after = mock.state.tickets.get(t.id)!;
    expect(after.item?.id).toBe(assoc.item!.id);
    expect(after.priority).toEqual(before.priority);
    expect(after.board).toEqual(before.board);
    expect(after._info.lastUpdated > before._info.lastUpdated).toBe(true);
  });

  it('surfaces InvalidObject with the field errors for a triple outside the associations', async () => {
    const t = [...mock.state.tickets.values()].find((x) => x.type && x.board.id === 1)!;
    const before = structuredClone(t);
    const typeId = t.type!.id;
    const foreign = [...mock.state.subtypes.values()].find(
      (s) => s.board.id === 1 && !mock.state.subtypeView(s).typeAssociationIds.includes(typeId),
    )!;
    const err = await failure(connectorFor(mock).updateTicket(String(t.id), { subtype: `${typeId}:${foreign.id}` }));
    expect(err.status).toBe(400);
    expect(err.code).toBe('InvalidObject');
    expect(err.details.join(' ')).toMatch(/subType: The subType is not valid for the selected type/);
    expect(mock.state.tickets.get(t.id)).toEqual(before);
  });

  it('adds an internal-analysis note', async () => {
    const t = [...mock.state.tickets.values()][0];
    await connectorFor(mock).addNote(String(t.id), 'Auto-triage: Hardware/Printer (p=0.92)');
    const note = mock.state.notesOf(t.id).at(-1)!;
    expect(note).toMatchObject({ text: 'Auto-triage: Hardware/Printer (p=0.92)', internalAnalysisFlag: true, detailDescriptionFlag: false });
    const listed = await api(mock, 'GET', `/service/tickets/${t.id}/notes?conditions=internalAnalysisFlag=true`);
    expect(listed.body.map((n: { id: number }) => n.id)).toContain(note.id);
  });
});
