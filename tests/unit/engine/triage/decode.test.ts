import { describe, expect, it } from 'vitest';
import { decodePrediction } from '../../../../engine/triage/decode';
import type { Choice, FieldProbabilities, FieldSchema } from '../../../../engine/triage/types';

function choice(value: string, opts: Partial<Choice> = {}): Choice {
  return { value, label: opts.label ?? value.toUpperCase(), active: opts.active ?? true, parent: opts.parent };
}

function field(name: string, choices: Choice[], parentField?: string): FieldSchema {
  return { name, label: name, parentField: parentField ?? null, choices };
}

function dist(entries: Record<string, number>): Map<string, number> {
  return new Map(Object.entries(entries));
}

describe('decodePrediction: allowed choices', () => {
  const schema = [field('queue', [choice('x'), choice('y'), choice('z')])];
  const probs: FieldProbabilities = { queue: dist({ x: 0.5, y: 0.3, z: 0.2 }) };

  it('predicts the argmax among the schema choices with the model probability', () => {
    const out = decodePrediction(probs, schema);
    expect(out.queue).toEqual({
      status: 'predicted',
      value: 'x',
      label: 'X',
      confidence: 0.5,
      alternatives: [
        { value: 'y', label: 'Y', confidence: 0.3 },
        { value: 'z', label: 'Z', confidence: 0.2 },
      ],
    });
  });

  it('restricts to the requested choices and renormalises over them', () => {
    const out = decodePrediction(probs, schema, { choices: { queue: ['y', 'z'] } });
    expect(out.queue.value).toBe('y');
    expect(out.queue.confidence).toBe(0.6);
    expect(out.queue.alternatives).toEqual([{ value: 'z', label: 'Z', confidence: 0.4 }]);
  });

  it('matches requested strings by value, then by label ignoring case', () => {
    const s = [field('type', [choice('12', { label: 'Network' }), choice('13', { label: 'Printer' })])];
    const p = { type: dist({ '12': 0.2, '13': 0.8 }) };
    const byLabel = decodePrediction(p, s, { choices: { type: ['network'] } });
    expect(byLabel.type).toMatchObject({ value: '12', label: 'Network', confidence: 1 });
    const byValue = decodePrediction(p, s, { choices: { type: ['12', ' PRINTER '] } });
    expect(byValue.type).toMatchObject({ value: '13', label: 'Printer', confidence: 0.8 });
    expect(byValue.type.alternatives).toEqual([{ value: '12', label: 'Network', confidence: 0.2 }]);
  });

  it('allows an unknown requested string as a plain value, and fields named only in the request', () => {
    const p = { queue: dist({ x: 0.1, fresh: 0.9 }), extra: dist({ a: 0.25, b: 0.75 }) };
    const out = decodePrediction(p, schema, { choices: { queue: ['x', 'fresh'], extra: ['a', 'b'] } });
    expect(out.queue).toMatchObject({ value: 'fresh', label: 'fresh', confidence: 0.9 });
    expect(out.extra).toMatchObject({ status: 'predicted', value: 'b', label: 'b', confidence: 0.75 });
    expect(Object.keys(out)).toEqual(['queue', 'extra']);
  });

  it('never predicts nor offers an inactive choice', () => {
    const s = [field('queue', [choice('old', { active: false }), choice('y'), choice('z')])];
    const p = { queue: dist({ old: 0.7, y: 0.2, z: 0.1 }) };
    const out = decodePrediction(p, s);
    expect(out.queue.value).toBe('y');
    expect(out.queue.confidence).toBeCloseTo(2 / 3, 4);
    expect(out.queue.alternatives.map((a) => a.value)).toEqual(['z']);
  });

  it('ignores choices the model never saw when others are known', () => {
    const s = [field('queue', [choice('x'), choice('new')])];
    const out = decodePrediction({ queue: dist({ x: 0.4, other: 0.6 }) }, s);
    expect(out.queue).toMatchObject({ value: 'x', confidence: 1, alternatives: [] });
  });
});

describe('decodePrediction: unpredictable fields', () => {
  const schema = [field('queue', [choice('A'), choice('B'), choice('C')])];

  it('says when the model was not trained on the field', () => {
    const out = decodePrediction({}, schema);
    expect(out.queue).toEqual({
      status: 'unpredictable',
      value: null,
      label: null,
      confidence: 0,
      alternatives: [],
      reason: 'model was not trained on field "queue"',
    });
  });

  it('lists the allowed choices when none was seen in training', () => {
    const out = decodePrediction({ queue: dist({ Z: 1 }) }, schema);
    expect(out.queue.status).toBe('unpredictable');
    expect(out.queue.value).toBeNull();
    expect(out.queue.reason).toBe(
      'none of the 3 allowed choices ("A", "B", "C") appear in this model\'s training data',
    );
  });

  it('says when the request allows nothing', () => {
    const out = decodePrediction({ queue: dist({ A: 1 }) }, schema, { choices: { queue: [] } });
    expect(out.queue.status).toBe('unpredictable');
    expect(out.queue.reason).toBe('the request allows no choices for field "queue"');
  });

  it('says when the schema has no active choice', () => {
    const s = [field('queue', [choice('A', { active: false })])];
    const out = decodePrediction({ queue: dist({ A: 1 }) }, s);
    expect(out.queue.reason).toBe('field "queue" has no active choices in the schema');
  });
});

describe('decodePrediction: parent/child fields', () => {
  const issue = field('issue_type', [choice('A'), choice('B')]);
  const sub = field(
    'sub_issue_type',
    [choice('a1', { parent: 'A' }), choice('a2', { parent: 'A' }), choice('b1', { parent: 'B' })],
    'issue_type',
  );

  it('picks a valid pair when the independent argmaxes conflict', () => {
    // Independently: A (0.6) and b1 (0.8), which is not a sub-issue of A. Joint: A-a1 .06, A-a2 .06, B-b1 .32.
    const probs = { issue_type: dist({ A: 0.6, B: 0.4 }), sub_issue_type: dist({ a1: 0.1, a2: 0.1, b1: 0.8 }) };
    const out = decodePrediction(probs, [issue, sub]);
    expect(out.issue_type).toMatchObject({ value: 'B', confidence: 0.7273 });
    expect(out.issue_type.alternatives).toEqual([{ value: 'A', label: 'A', confidence: 0.2727 }]);
    expect(out.sub_issue_type).toMatchObject({ value: 'b1', confidence: 0.7273 });
    expect(out.sub_issue_type.alternatives).toEqual([
      { value: 'a1', label: 'A1', confidence: 0.1364 },
      { value: 'a2', label: 'A2', confidence: 0.1364 },
    ]);
  });

  it('reports the parent value with the most marginal mass, not the MAP pair, and its best child', () => {
    // A's mass is spread over three children (.13, .12, .11: .36 in all); B-b1 alone is the single best pair (.14),
    // so MAP would report B (0.28) next to an alternative A at 0.72. Top-down: A, then the best of A's children.
    const s = [
      issue,
      field(
        'sub_issue_type',
        ['a1', 'a2', 'a3'].map((v) => choice(v, { parent: 'A' })).concat(choice('b1', { parent: 'B' })),
        'issue_type',
      ),
    ];
    const probs = {
      issue_type: dist({ A: 0.5, B: 0.5 }),
      sub_issue_type: dist({ a1: 0.26, a2: 0.24, a3: 0.22, b1: 0.28 }),
    };
    const out = decodePrediction(probs, s);
    expect(out.issue_type).toMatchObject({ value: 'A', confidence: 0.72 });
    expect(out.issue_type.alternatives).toEqual([{ value: 'B', label: 'B', confidence: 0.28 }]);
    // The child stays valid under A; b1 is still offered first, since alternatives rank every value by marginal.
    expect(out.sub_issue_type).toMatchObject({ value: 'a1', confidence: 0.26 });
    expect(out.sub_issue_type.alternatives).toEqual([
      { value: 'b1', label: 'B1', confidence: 0.28 },
      { value: 'a2', label: 'A2', confidence: 0.24 },
      { value: 'a3', label: 'A3', confidence: 0.22 },
    ]);
  });

  it('ranks a parent-less child choice by its marginal among those compatible with the chosen parent', () => {
    const s = [issue, field('sub_issue_type', [choice('a1', { parent: 'A' }), choice('any')], 'issue_type')];
    const probs = { issue_type: dist({ A: 0.9, B: 0.1 }), sub_issue_type: dist({ a1: 0.52, any: 0.48 }) };
    // Valid pairs: A-a1 .468, A-any .432, B-any .048 (Z = .948). Given A, a1 is likelier (.52 vs .48), but "any"
    // also gets B's mass and has the higher marginal (.5063 vs .4937): that is the value reported.
    const out = decodePrediction(probs, s);
    expect(out.issue_type).toMatchObject({ value: 'A', confidence: 0.9494 });
    expect(out.sub_issue_type).toMatchObject({ value: 'any', confidence: 0.5063 });
    expect(out.sub_issue_type.alternatives).toEqual([{ value: 'a1', label: 'A1', confidence: 0.4937 }]);
  });

  it('gives marginals that sum to 1 over the candidates', () => {
    const probs = { issue_type: dist({ A: 0.3, B: 0.7 }), sub_issue_type: dist({ a1: 0.5, a2: 0.2, b1: 0.3 }) };
    const out = decodePrediction(probs, [issue, sub], { topK: 10 });
    for (const f of ['issue_type', 'sub_issue_type']) {
      const total = out[f].confidence + out[f].alternatives.reduce((s, a) => s + a.confidence, 0);
      expect(total).toBeCloseTo(1, 3);
    }
  });

  it('decodes a three-level chain jointly', () => {
    const s = [
      field('board', [choice('B1'), choice('B2')]),
      field('type', [choice('t1', { parent: 'B1' }), choice('t2', { parent: 'B2' })], 'board'),
      field('subtype', [choice('s1', { parent: 't1' }), choice('s2', { parent: 't2' })], 'type'),
    ];
    // Only B1-t1-s1 (.18) and B2-t2-s2 (.03) are valid; the type's own argmax (t2) loses.
    const probs = {
      board: dist({ B1: 0.5, B2: 0.5 }),
      type: dist({ t1: 0.4, t2: 0.6 }),
      subtype: dist({ s1: 0.9, s2: 0.1 }),
    };
    const out = decodePrediction(probs, s);
    expect([out.board.value, out.type.value, out.subtype.value]).toEqual(['B1', 't1', 's1']);
    for (const f of ['board', 'type', 'subtype']) expect(out[f].confidence).toBe(0.8571);
    expect(out.type.alternatives).toEqual([{ value: 't2', label: 'T2', confidence: 0.1429 }]);
  });

  it('treats a child choice without parent as compatible with every parent value', () => {
    const s = [issue, field('sub_issue_type', [choice('a1', { parent: 'A' }), choice('any')], 'issue_type')];
    const probs = { issue_type: dist({ A: 0.2, B: 0.8 }), sub_issue_type: dist({ a1: 0.9, any: 0.1 }) };
    // Valid pairs: A-a1 .18, A-any .02, B-any .08 (Z = .28).
    const out = decodePrediction(probs, s);
    expect(out.issue_type).toMatchObject({ value: 'A', confidence: 0.7143 });
    expect(out.sub_issue_type).toMatchObject({ value: 'a1', confidence: 0.6429 });
    expect(out.sub_issue_type.alternatives).toEqual([{ value: 'any', label: 'ANY', confidence: 0.3571 }]);
  });

  it('decodes the parent alone when no child candidate fits any allowed parent value', () => {
    const probs = { issue_type: dist({ A: 0.6, B: 0.4 }), sub_issue_type: dist({ a1: 0.1, a2: 0.1, b1: 0.8 }) };
    const out = decodePrediction(probs, [issue, sub], { choices: { issue_type: ['A'], sub_issue_type: ['b1'] } });
    expect(out.issue_type).toMatchObject({ status: 'predicted', value: 'A', confidence: 1 });
    expect(out.sub_issue_type).toMatchObject({ status: 'unpredictable', value: null, confidence: 0 });
    expect(out.sub_issue_type.reason).toBe(
      'none of the choices of "sub_issue_type" that the model knows belong to an allowed "issue_type" value that the model knows',
    );
  });

  it('decodes a grandchild on its own when its parent field was left out', () => {
    const s = [issue, sub, field('item', [choice('i1', { parent: 'b1' }), choice('i2', { parent: 'a1' })], 'sub_issue_type')];
    const probs = {
      issue_type: dist({ A: 0.6, B: 0.4 }),
      sub_issue_type: dist({ b1: 1 }),
      item: dist({ i1: 0.7, i2: 0.3 }),
    };
    const out = decodePrediction(probs, s, { choices: { issue_type: ['A'] } });
    expect(out.sub_issue_type.status).toBe('unpredictable');
    expect(out.item).toMatchObject({ status: 'predicted', value: 'i1', confidence: 0.7 });
  });

  it('decodes the child on its own when the parent field is unpredictable', () => {
    const probs = { sub_issue_type: dist({ a1: 0.1, a2: 0.3, b1: 0.6 }) };
    const out = decodePrediction(probs, [issue, sub]);
    expect(out.issue_type.status).toBe('unpredictable');
    expect(out.sub_issue_type).toMatchObject({ value: 'b1', confidence: 0.6 });
  });

  it('keeps the first of two sibling fields whose constraints cannot both hold', () => {
    const s = [
      issue,
      field('sub_issue_type', [choice('a1', { parent: 'A' })], 'issue_type'),
      field('queue', [choice('qb', { parent: 'B' })], 'issue_type'),
    ];
    const probs = { issue_type: dist({ A: 0.5, B: 0.5 }), sub_issue_type: dist({ a1: 1 }), queue: dist({ qb: 1 }) };
    const out = decodePrediction(probs, s);
    expect(out.issue_type).toMatchObject({ value: 'A', confidence: 1 });
    expect(out.sub_issue_type).toMatchObject({ value: 'a1', confidence: 1 });
    expect(out.queue.status).toBe('unpredictable');
    expect(out.queue.reason).toContain('cannot be combined');
  });

  it('survives a parent cycle in a misconfigured schema', () => {
    const s = [field('p', [choice('x', { parent: 'y' })], 'q'), field('q', [choice('y', { parent: 'x' })], 'p')];
    const out = decodePrediction({ p: dist({ x: 1 }), q: dist({ y: 1 }) }, s);
    expect(out.p.value).toBe('x');
    expect(out.q.value).toBe('y');
  });
});

describe('decodePrediction: alternatives', () => {
  const schema = [field('prio', ['p1', 'p2', 'p3', 'p4', 'p5'].map((v) => choice(v)))];
  const probs = { prio: dist({ p1: 0.05, p2: 0.4, p3: 0.1, p4: 0.3, p5: 0.15 }) };

  it('returns the top 3 by default, best first, without the chosen value', () => {
    const out = decodePrediction(probs, schema);
    expect(out.prio.value).toBe('p2');
    expect(out.prio.alternatives.map((a) => [a.value, a.confidence])).toEqual([
      ['p4', 0.3],
      ['p5', 0.15],
      ['p3', 0.1],
    ]);
  });

  it('honours topK', () => {
    expect(decodePrediction(probs, schema, { topK: 1 }).prio.alternatives.map((a) => a.value)).toEqual(['p4']);
    expect(decodePrediction(probs, schema, { topK: 0 }).prio.alternatives).toEqual([]);
    expect(decodePrediction(probs, schema, { topK: 10 }).prio.alternatives).toHaveLength(4);
  });

  it('rounds confidences to 4 decimals', () => {
    const out = decodePrediction({ prio: dist({ p1: 1, p2: 2 }) }, schema);
    expect(out.prio.confidence).toBe(0.6667);
    expect(out.prio.alternatives[0].confidence).toBe(0.3333);
  });
});
