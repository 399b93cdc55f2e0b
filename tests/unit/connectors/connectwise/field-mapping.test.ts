import { describe, expect, it } from 'vitest';
import {
  buildFieldSchemas,
  patchOperations,
  ticketFieldValues,
  type ReferenceData,
} from '../../../../connectors/connectwise/field-mapping';

const named = (id: number, name: string, inactive = false) => ({ id, name, inactive });

/** Board 1: Hardware(40) and Network(41); Printer(77) serves both types; Offline(9) only under Hardware/Printer. */
const ref: ReferenceData = {
  boards: [
    {
      board: named(1, 'Service Desk'),
      types: [named(40, 'Hardware'), named(41, 'Network'), named(42, 'Legacy', true)],
      subtypes: [named(77, 'Printer'), named(78, 'Modem', true)],
      items: [named(9, 'Offline'), named(10, 'Fax', true)],
      associations: [
        { typeId: 40, subTypeId: 77, itemId: null },
        { typeId: 40, subTypeId: 77, itemId: 9 },
        { typeId: 40, subTypeId: 77, itemId: 10 },
        { typeId: 41, subTypeId: 77, itemId: null },
        { typeId: 41, subTypeId: 78, itemId: null },
        { typeId: 42, subTypeId: 77, itemId: 9 },
        { typeId: 41, subTypeId: null, itemId: null },
      ],
    },
    { board: named(2, 'Old Board', true), types: [named(50, 'Misc')], subtypes: [], items: [], associations: [] },
  ],
  priorities: [{ id: 8, name: 'Priority 3 - Normal Response' }],
};

describe('buildFieldSchemas', () => {
  const schemas = buildFieldSchemas(ref);
  const byName = Object.fromEntries(schemas.map((s) => [s.name, s]));

  it('names five fields with their parent fields', () => {
    expect(schemas.map((s) => [s.name, s.parentField])).toEqual([
      ['board', null],
      ['type', 'board'],
      ['subtype', 'type'],
      ['item', 'subtype'],
      ['priority', null],
    ]);
  });

  it('encodes one subtype choice per valid (type, subtype) pair and one item per valid triple', () => {
    expect(byName.subtype.choices).toEqual([
      { value: '40:77', label: 'Printer', active: true, parent: '40' },
      { value: '41:77', label: 'Printer', active: true, parent: '41' },
      { value: '41:78', label: 'Modem', active: false, parent: '41' },
      { value: '42:77', label: 'Printer', active: false, parent: '42' },
    ]);
    expect(byName.item.choices).toEqual([
      { value: '40:77:9', label: 'Offline', active: true, parent: '40:77' },
      { value: '40:77:10', label: 'Fax', active: false, parent: '40:77' },
      { value: '42:77:9', label: 'Offline', active: false, parent: '42:77' },
    ]);
  });

  it('keeps inactive boards and types, and retires what hangs below them', () => {
    expect(byName.board.choices).toEqual([
      { value: '1', label: 'Service Desk', active: true, parent: null },
      { value: '2', label: 'Old Board', active: false, parent: null },
    ]);
    expect(byName.type.choices.map((c) => [c.value, c.active, c.parent])).toEqual([
      ['40', true, '1'],
      ['41', true, '1'],
      ['42', false, '1'],
      ['50', false, '2'],
    ]);
    expect(byName.priority.choices).toEqual([{ value: '8', label: 'Priority 3 - Normal Response', active: true, parent: null }]);
  });
});

describe('ticketFieldValues', () => {
  it('encodes like the schema and nulls a level whose parent is missing', () => {
    const full = { board: { id: 1 }, type: { id: 40 }, subType: { id: 77 }, item: { id: 9 }, priority: { id: 8 } };
    expect(ticketFieldValues(full)).toEqual({ board: '1', type: '40', subtype: '40:77', item: '40:77:9', priority: '8' });
    expect(ticketFieldValues({ board: { id: 1 }, subType: { id: 77 }, item: { id: 9 } })).toEqual({
      board: '1',
      type: null,
      subtype: null,
      item: null,
      priority: null,
    });
  });
});

describe('patchOperations', () => {
  it('decodes only the given fields into {id} references, board first', () => {
    expect(patchOperations({ item: '40:77:9', priority: '8', board: '1' })).toEqual([
      { op: 'replace', path: 'board', value: { id: 1 } },
      { op: 'replace', path: 'item', value: { id: 9 } },
      { op: 'replace', path: 'priority', value: { id: 8 } },
    ]);
    expect(patchOperations({ type: '40', subtype: '40:77' })).toEqual([
      { op: 'replace', path: 'type', value: { id: 40 } },
      { op: 'replace', path: 'subType', value: { id: 77 } },
    ]);
    expect(patchOperations({})).toEqual([]);
  });

  it('refuses unknown fields, malformed values and levels that contradict each other', () => {
    expect(() => patchOperations({ queue: '1' })).toThrow(/unknown ConnectWise field "queue"/);
    expect(() => patchOperations({ subtype: '77' })).toThrow(/typeId:subTypeId/);
    expect(() => patchOperations({ board: 'Service Desk' })).toThrow(/board id/);
    expect(() => patchOperations({ type: '41', subtype: '40:77' })).toThrow(/does not belong/);
    expect(() => patchOperations({ subtype: '41:77', item: '40:77:9' })).toThrow(/does not belong/);
  });
});
