import { describe, expect, it } from 'vitest';
import { deriveFieldSchemas } from '../../../../engine/import/field-schemas';

const t = (fields: Record<string, string>) => ({ title: 't', description: '', fields });

describe('deriveFieldSchemas', () => {
  it('orders choices by frequency, then by value, all active without parents', () => {
    const tickets = [t({ p: 'Low', q: 'B' }), t({ p: 'High', q: 'A' }), t({ p: 'Low' }), t({ p: 'Medium', q: 'A' }), t({ p: 'Critical' })];
    const schemas = deriveFieldSchemas(tickets, ['p', 'q']);
    expect(schemas).toEqual([
      {
        name: 'p',
        label: 'p',
        parentField: null,
        choices: [
          { value: 'Low', label: 'Low', active: true },
          { value: 'Critical', label: 'Critical', active: true },
          { value: 'High', label: 'High', active: true },
          { value: 'Medium', label: 'Medium', active: true },
        ],
      },
      {
        name: 'q',
        label: 'q',
        parentField: null,
        choices: [
          { value: 'A', label: 'A', active: true },
          { value: 'B', label: 'B', active: true },
        ],
      },
    ]);
  });

  it('gives an empty choice list to a field without labels', () => {
    expect(deriveFieldSchemas([t({})], ['x'])[0].choices).toEqual([]);
  });
});
