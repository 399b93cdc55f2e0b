import { describe, expect, it } from 'vitest';
import { concatData, fromRecords, loadSharedDatasets, splitDataset } from '../../../bench/fast-data';

const records = Array.from({ length: 100 }, (_, i) => ({
  title: `Ticket ${i}`,
  description: i % 10 === 0 ? '' : `Body ${i}`,
  queue: i % 3 === 0 ? 'A' : 'B',
  ...(i % 2 === 0 ? { priority: 'high' } : { priority: null }),
}));

describe('fromRecords', () => {
  it('takes every key but title and description as a field, missing labels as null', () => {
    const ds = fromRecords('x.json', records);
    expect(ds.fields).toEqual(['queue', 'priority']);
    expect(ds.texts[1]).toBe('Ticket 1\nBody 1');
    expect(ds.texts[0]).toBe('Ticket 0');
    expect(ds.labels.priority.slice(0, 2)).toEqual(['high', null]);
  });
});

describe('splitDataset', () => {
  const ds = fromRecords('x.json', records);

  it('splits 80/20 with 1/8 of the 80 as validation, disjoint and complete', () => {
    const split = splitDataset(ds, 42);
    expect([split.train.texts.length, split.validation.texts.length, split.test.texts.length]).toEqual([70, 10, 20]);
    const all = [...split.train.texts, ...split.validation.texts, ...split.test.texts];
    expect(new Set(all).size).toBe(100);
    // Labels travel with their texts.
    const i = split.test.texts.indexOf('Ticket 3\nBody 3');
    if (i >= 0) expect(split.test.labels.queue[i]).toBe('A');
  });

  it('is reproducible for a seed and differs between seeds', () => {
    expect(splitDataset(ds, 7)).toEqual(splitDataset(ds, 7));
    expect(splitDataset(ds, 7).test.texts).not.toEqual(splitDataset(ds, 8).test.texts);
  });

  it('concatData appends validation to train, field by field', () => {
    const split = splitDataset(ds, 1);
    const both = concatData(split.train, split.validation);
    expect(both.texts).toEqual([...split.train.texts, ...split.validation.texts]);
    expect(both.labels.queue).toEqual([...split.train.labels.queue, ...split.validation.labels.queue]);
  });
});

describe('loadSharedDatasets', () => {
  it('explains a missing directory instead of failing', () => {
    const result = loadSharedDatasets('/nonexistent/shared/data');
    expect(result.datasets).toEqual([]);
    expect(result.skipped).toMatch(/no shared data directory/);
  });
});
