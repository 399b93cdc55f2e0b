import { beforeAll, describe, expect, it } from 'vitest';
import { type DemoTenant, generateDemoTenant } from '../../../../engine/demo';

let demo: DemoTenant;
beforeAll(() => {
  demo = generateDemoTenant();
});

const share = (values: string[]) => {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return new Map([...counts].map(([k, c]) => [k, c / values.length]));
};
const text = (t: DemoTenant['tickets'][number]) => `${t.title}\n${t.description}`;

describe('generateDemoTenant', () => {
  it('defaults to 3000 tickets with seed 42', () => {
    expect(demo.tickets).toHaveLength(3000);
    expect(JSON.stringify(generateDemoTenant({ count: 3000, seed: 42 }))).toBe(JSON.stringify(demo));
  });

  it('is byte-identical for a seed and different for another seed', () => {
    const a = JSON.stringify(generateDemoTenant({ count: 500, seed: 7 }));
    expect(JSON.stringify(generateDemoTenant({ count: 500, seed: 7 }))).toBe(a);
    expect(JSON.stringify(generateDemoTenant({ count: 500, seed: 8 }))).not.toBe(a);
  });

  it('handles zero tickets and rejects a bad count', () => {
    expect(generateDemoTenant({ count: 0 }).tickets).toEqual([]);
    expect(() => generateDemoTenant({ count: -1 })).toThrow();
    expect(() => generateDemoTenant({ count: 1.5 })).toThrow();
  });

  it('numbers ids DEMO-000001... and orders createdAt over about two years', () => {
    expect(demo.tickets[0].id).toBe('DEMO-000001');
    expect(demo.tickets[2999].id).toBe('DEMO-003000');
    const times = demo.tickets.map((t) => Date.parse(t.createdAt));
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1]);
    const days = (times[times.length - 1] - times[0]) / 86_400_000;
    expect(days).toBeGreaterThan(700);
    expect(days).toBeLessThan(740);
    expect(demo.tickets[0].createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
  });

  it('gives every ticket every field, each label an active choice of its field', () => {
    const choices = new Map(demo.fields.map((f) => [f.name, new Map(f.choices.map((c) => [c.value, c]))]));
    for (const ticket of demo.tickets) {
      expect(Object.keys(ticket.fields)).toEqual(demo.fields.map((f) => f.name));
      for (const [field, value] of Object.entries(ticket.fields)) {
        const choice = choices.get(field)?.get(value);
        expect(choice, `${ticket.id} ${field}=${value}`).toBeDefined();
        expect(choice?.active).toBe(true);
      }
    }
  });

  it('keeps every sub-issue type under its issue type', () => {
    const sub = demo.fields.find((f) => f.name === 'sub_issue_type')!;
    const parentOf = new Map(sub.choices.map((c) => [c.value, c.parent]));
    for (const ticket of demo.tickets) expect(parentOf.get(ticket.fields.sub_issue_type)).toBe(ticket.fields.issue_type);
  });

  it('never uses the inactive choice', () => {
    const inactive = demo.fields.flatMap((f) => f.choices.filter((c) => !c.active).map((c) => [f.name, c.value] as const));
    expect(inactive.length).toBeGreaterThan(0);
    for (const [field, value] of inactive) expect(demo.tickets.some((t) => t.fields[field] === value)).toBe(false);
  });

  it('uses every active choice, and no field is dominated by one value', () => {
    for (const field of demo.fields) {
      const shares = share(demo.tickets.map((t) => t.fields[field.name]));
      for (const choice of field.choices.filter((c) => c.active)) expect(shares.get(choice.value), `${field.name}=${choice.value}`).toBeGreaterThan(0);
      expect(Math.max(...shares.values()), field.name).toBeLessThan(0.9);
    }
  });

  it('writes varied titles of 4-10 words and descriptions of a few sentences', () => {
    const titles = demo.tickets.map((t) => t.title);
    expect(new Set(titles).size).toBeGreaterThan(0.6 * titles.length);
    expect(new Set(demo.tickets.map((t) => t.description)).size).toBeGreaterThan(0.95 * titles.length);
    for (const title of titles) {
      const words = title.split(/\s+/).length;
      expect(words, title).toBeGreaterThanOrEqual(4);
      expect(words, title).toBeLessThanOrEqual(10);
    }
    for (const t of demo.tickets) {
      expect(t.description.length).toBeGreaterThan(20);
      expect(t.description).not.toMatch(/[[\]{}]| {2}/);
    }
  });

  it('makes labels follow the text, but not perfectly', () => {
    // The sub-issue type is usually readable from the text...
    const vpn = demo.tickets.filter((t) => t.fields.sub_issue_type === 'VPN');
    const mentionsVpn = vpn.filter((t) => /VPN/.test(text(t))).length / vpn.length;
    expect(mentionsVpn).toBeGreaterThan(0.75);
    expect(mentionsVpn).toBeLessThan(1);
    // ...and an office-wide outage is usually urgent, while most tickets are not.
    const wide = demo.tickets.filter((t) => /entire office|company-wide|All users at/i.test(text(t)));
    const urgentShare = (ts: DemoTenant['tickets']) => ts.filter((t) => ['Critical', 'High'].includes(t.fields.priority)).length / ts.length;
    expect(wide.length).toBeGreaterThan(50);
    expect(urgentShare(wide)).toBeGreaterThan(0.6);
    expect(urgentShare(wide)).toBeLessThan(1);
    expect(urgentShare(demo.tickets)).toBeLessThan(0.3);
    // Purchases go to Procurement, mostly.
    const purchases = demo.tickets.filter((t) => t.fields.sub_issue_type === 'License Purchase');
    const procurement = purchases.filter((t) => t.fields.queue === 'Procurement').length / purchases.length;
    expect(procurement).toBeGreaterThan(0.8);
    expect(procurement).toBeLessThan(1);
  });
});
