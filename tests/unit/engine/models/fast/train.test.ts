import { describe, expect, it } from 'vitest';
import { type FastProgress, FEATURES_STEP, trainFastModel } from '../../../../../engine/models/fast';
import { TOY_CLASSES, accuracyOf, toyData } from './toy-data';

const train = toyData(300, 1);
const validation = toyData(80, 2);
const test = toyData(200, 3);
const quick = { maxEpochs: 8, seed: 3 };

describe('trainFastModel', () => {
  it('learns a separable problem almost perfectly', () => {
    const model = trainFastModel(train, validation, quick);
    expect(accuracyOf((t) => model.predictProba(t), test, 'topic')).toBeGreaterThanOrEqual(0.97);
  });

  it('learns a noisy problem well above chance', () => {
    const model = trainFastModel(toyData(300, 4, 0.35), toyData(80, 5, 0.35), quick);
    // Chance is 1/3; the clean test labels are what the noisy training labels mostly say.
    expect(accuracyOf((t) => model.predictProba(t), test, 'topic')).toBeGreaterThan(0.8);
  });

  it('skips null labels, keeps fields with a single class and drops fields without labels', () => {
    const data = { ...train, labels: { ...train.labels, empty: train.texts.map(() => null) } };
    const model = trainFastModel(data, validation, quick);
    expect(model.fields).toEqual(['topic', 'site', 'sparse']);
    expect(model.classes('sparse')).toEqual(TOY_CLASSES);
    expect(model.classes('site')).toEqual(['HQ']);
    const p = model.predictProba('printer toner jam');
    expect([...p.site.entries()]).toEqual([['HQ', 1]]);
    expect(accuracyOf((t) => model.predictProba(t), test, 'sparse')).toBeGreaterThanOrEqual(0.95);
    expect(() => model.classes('empty')).toThrow(/no field 'empty'/);
  });

  it('trains without validation data (a fixed number of epochs, temperature 1)', () => {
    const none = { texts: [], labels: { topic: [], site: [], sparse: [] } };
    const events: FastProgress[] = [];
    const model = trainFastModel(train, none, { ...quick, epochsWithoutValidation: 3, onProgress: (p) => events.push(p) });
    expect(events.filter((e) => e.field === 'topic' && e.epoch > 0)).toHaveLength(3);
    expect(model.info.temperature.topic).toBe(1);
    expect(accuracyOf((t) => model.predictProba(t), test, 'topic')).toBeGreaterThanOrEqual(0.95);
  });

  it('reports monotonic progress from the feature step to total', () => {
    const events: FastProgress[] = [];
    trainFastModel(train, validation, { ...quick, refit: false, onProgress: (p) => events.push(p) });
    expect(events[0]).toMatchObject({ field: FEATURES_STEP, step: 1, phase: 'features' });
    const total = events[0].total;
    expect(total).toBe(1 + 2 * quick.maxEpochs); // topic and sparse are learnt; site is constant
    for (let i = 1; i < events.length; i++) {
      expect(events[i].step).toBeGreaterThan(events[i - 1].step);
      expect(events[i].total).toBe(total);
    }
    expect(events.at(-1)!.step).toBe(total);
    const epochs = events.filter((e) => e.epoch > 0);
    expect(epochs.every((e) => Number.isFinite(e.loss) && e.validationAccuracy !== undefined)).toBe(true);
  });

  it('refits small tenants on train + validation for the epochs early stopping chose', () => {
    const events: FastProgress[] = [];
    const model = trainFastModel(train, validation, { ...quick, onProgress: (p) => events.push(p) });
    expect(events[0].total).toBe(1 + 2 * 2 * quick.maxEpochs);
    expect(events.at(-1)!.step).toBe(events[0].total);
    for (const field of ['topic', 'sparse']) {
      const trained = events.filter((e) => e.field === field && e.phase === 'train').length;
      const refitted = events.filter((e) => e.field === field && e.phase === 'refit').length;
      expect(refitted).toBeGreaterThan(0);
      expect(refitted).toBeLessThanOrEqual(trained);
    }
    expect(model.info.trainedOn).toBe(380);
    const noRefit = trainFastModel(train, validation, { ...quick, refitMaxRows: 100 });
    expect(noRefit.info.trainedOn).toBe(300);
    expect(noRefit.info.hyper.refit).toBe(false);
  });

  it('is cancellable between epochs with an AbortError', () => {
    const controller = new AbortController();
    let epochsSeen = 0;
    const run = () =>
      trainFastModel(train, validation, {
        ...quick,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.epoch === 1) controller.abort();
          if (p.epoch > 0) epochsSeen++;
        },
      });
    expect(run).toThrow(expect.objectContaining({ name: 'AbortError' }));
    expect(epochsSeen).toBe(1);
  });

  it('refuses to start with an already aborted signal', () => {
    expect(() => trainFastModel(train, validation, { signal: AbortSignal.abort() })).toThrow(
      expect.objectContaining({ name: 'AbortError' }),
    );
  });

  it('is deterministic given the seed', () => {
    const a = trainFastModel(train, validation, quick).toBuffer();
    const b = trainFastModel(train, validation, quick).toBuffer();
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('counts validation labels unseen in training as errors instead of failing', () => {
    const val = { ...validation, labels: { ...validation.labels, topic: validation.labels.topic.map((l, i) => (i < 10 ? 'Unheard' : l)) } };
    const events: FastProgress[] = [];
    const model = trainFastModel(train, val, { ...quick, refit: false, onProgress: (p) => events.push(p) });
    expect(model.classes('topic')).toEqual(TOY_CLASSES);
    const topicAccuracy = events.filter((e) => e.field === 'topic' && e.validationAccuracy !== undefined);
    expect(Math.max(...topicAccuracy.map((e) => e.validationAccuracy!))).toBeLessThanOrEqual(70 / 80);
  });

  it('caps the feature count so that the weights fit maxModelBytes', () => {
    // topic and sparse have 3 classes each: 6 floats (24 bytes) per feature.
    const model = trainFastModel(train, validation, { ...quick, maxModelBytes: 24 * 50 });
    expect(model.info.featureDim).toBe(50);
    expect(model.toBuffer().length).toBeLessThan(24 * 50 + 8 * 50 + 4096);
  });

  it('rejects labels that do not line up with the texts', () => {
    const bad = { texts: train.texts, labels: { topic: train.labels.topic.slice(1) } };
    expect(() => trainFastModel(bad, validation)).toThrow(/299 labels for 300 texts/);
  });

  it('records what it was trained with', () => {
    const model = trainFastModel(train, validation, quick);
    expect(model.info.featureDim).toBeGreaterThan(0);
    expect(model.info.hyper).toMatchObject({ maxEpochs: 8, seed: 3 });
    expect(Object.keys(model.info.temperature).sort()).toEqual(['site', 'sparse', 'topic']);
  });
});

describe('trainFastModel field search', () => {
  const slowAndFast = { ...quick, fieldSearch: [{ learningRate: 1e-4 }, { learningRate: 1 }] };

  it('keeps the setting that is clearly better on validation, and records it per field', () => {
    const model = trainFastModel(train, validation, slowAndFast);
    for (const field of ['topic', 'sparse']) {
      expect(model.info.selected?.[field]).toMatchObject({ setting: { learningRate: 1 }, candidates: 2 });
    }
    // The kept setting trains exactly as it would alone: the other candidate leaves no trace.
    const alone = trainFastModel(train, validation, { ...quick, fieldSearch: [{ learningRate: 1 }] });
    for (const text of test.texts.slice(0, 20)) expect(model.predictProba(text)).toEqual(alone.predictProba(text));
  });

  it('chooses on the validation labels: rotate them and the setting that learnt nothing wins', () => {
    // Rotated labels make every confident prediction wrong on validation; the near-uniform model then has the
    // lower loss. Train and test are the same as above: only the validation split changed the choice.
    const rotate = (l: string | null) => (l === null ? null : TOY_CLASSES[(TOY_CLASSES.indexOf(l) + 1) % TOY_CLASSES.length]);
    const rotated = { ...validation, labels: { ...validation.labels, topic: validation.labels.topic.map(rotate) } };
    const model = trainFastModel(train, rotated, { ...slowAndFast, refit: false });
    expect(model.info.selected?.topic.setting.learningRate).toBe(1e-4);
    expect(model.info.selected?.sparse.setting.learningRate).toBe(1);
  });

  it('tries only the global setting for a field without validation labels', () => {
    const none = { texts: [], labels: { topic: [], site: [], sparse: [] } };
    const model = trainFastModel(train, none, { ...slowAndFast, epochsWithoutValidation: 3 });
    expect(model.info.selected?.topic).toMatchObject({ setting: { learningRate: 1e-4 }, candidates: 1 });
  });

  it('trains a field with its own char weight and predicts it through the shared feature space', () => {
    const model = trainFastModel(train, validation, { ...quick, fieldSearch: [{ charWeight: 1.5 }] });
    expect(model.info.selected?.topic.setting.charWeight).toBe(1.5);
    expect(accuracyOf((t) => model.predictProba(t), test, 'topic')).toBeGreaterThanOrEqual(0.97);
    // Same model as one whose feature space is built with that char weight, up to float rounding.
    const direct = trainFastModel(train, validation, { ...quick, charWeight: 1.5 });
    for (const text of test.texts.slice(0, 20)) {
      const a = model.predictProba(text).topic;
      const b = direct.predictProba(text).topic;
      for (const c of TOY_CLASSES) expect(a.get(c)!).toBeCloseTo(b.get(c)!, 2);
    }
  });

  it('trains with balanced class weights when asked', () => {
    const model = trainFastModel(train, validation, { ...quick, fieldSearch: [{ classWeight: 'balanced' }] });
    expect(model.info.selected?.topic.setting.classWeight).toBe('balanced');
    expect(accuracyOf((t) => model.predictProba(t), test, 'topic')).toBeGreaterThanOrEqual(0.97);
  });
});

describe('trainFastModel kernels', () => {
  it('trains to the same predictions with the SIMD and the plain JavaScript kernels', () => {
    const simd = trainFastModel(train, validation, quick);
    const js = trainFastModel(train, validation, { ...quick, simd: false });
    expect(simd.info.hyper.simd).toBe(true);
    expect(js.info.hyper.simd).toBe(false);
    // Float rounding differs (float32 vs float64 sums), so probabilities agree closely, not bit for bit.
    for (const text of test.texts.slice(0, 50)) {
      const a = simd.predictProba(text).topic;
      const b = js.predictProba(text).topic;
      for (const c of TOY_CLASSES) expect(a.get(c)!).toBeCloseTo(b.get(c)!, 2);
    }
    expect(accuracyOf((t) => js.predictProba(t), test, 'topic')).toBeGreaterThanOrEqual(0.97);
  });
});
