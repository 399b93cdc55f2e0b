import { describe, expect, it } from 'vitest';
import { FastModel, trainFastModel } from '../../../../../engine/models/fast';
import { toyData } from './toy-data';

const model = trainFastModel(toyData(200, 1), toyData(60, 2), { maxEpochs: 5, seed: 9 });
const samples = ['printer jam again', 'Passwort zurücksetzen bitte', '', 'invoice refund 42', 'völlig unbekannter Text'];

describe('FastModel predictions', () => {
  it('gives a probability for every known class of every field, summing to 1', () => {
    for (const text of samples) {
      const probs = model.predictProba(text);
      expect(Object.keys(probs)).toEqual(model.fields);
      for (const field of model.fields) {
        const p = probs[field];
        expect([...p.keys()]).toEqual(model.classes(field));
        const values = [...p.values()];
        expect(values.every((v) => v >= 0 && v <= 1)).toBe(true);
        expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9);
      }
    }
  });

  it('predicts a batch exactly like one at a time', () => {
    expect(model.predictProbaBatch(samples)).toEqual(samples.map((t) => model.predictProba(t)));
  });
});

describe('FastModel serialization', () => {
  it('round-trips to identical probabilities and metadata', () => {
    const copy = FastModel.fromBuffer(model.toBuffer());
    expect(copy.fields).toEqual(model.fields);
    expect(copy.info).toEqual(model.info);
    for (const text of samples) expect(copy.predictProba(text)).toEqual(model.predictProba(text));
    expect(Buffer.from(copy.toBuffer()).equals(Buffer.from(model.toBuffer()))).toBe(true);
  });

  it('reads a buffer that is not 4-byte aligned (e.g. a Buffer slice)', () => {
    const bytes = model.toBuffer();
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const copy = FastModel.fromBuffer(shifted.subarray(1));
    expect(copy.predictProba(samples[0])).toEqual(model.predictProba(samples[0]));
  });

  it('rejects a corrupted byte, a truncated buffer, a wrong magic and a newer version', () => {
    const good = model.toBuffer();
    const flipped = good.slice();
    flipped[Math.floor(flipped.length * 0.7)] ^= 0x10;
    expect(() => FastModel.fromBuffer(flipped)).toThrow(/checksum/);
    expect(() => FastModel.fromBuffer(good.subarray(0, good.length - 8))).toThrow(/not a valid fast model/);
    expect(() => FastModel.fromBuffer(new Uint8Array(3))).toThrow(/only 3 bytes/);
    const json = new TextEncoder().encode(JSON.stringify({ hello: 'world', padding: 'x'.repeat(20) }));
    expect(() => FastModel.fromBuffer(json)).toThrow(/wrong magic/);
    const newer = good.slice();
    new DataView(newer.buffer).setUint32(8, 99, true);
    expect(() => FastModel.fromBuffer(newer)).toThrow(/format version 99/);
  });
});
