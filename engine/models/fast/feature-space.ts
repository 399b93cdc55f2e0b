/**
 * The feature space learnt from a tenant's training texts: which hashed n-grams to keep, their IDF, and how
 * a text becomes a weighted, L2-normalised sparse vector. Keeping only n-grams seen in >= minDf training
 * texts drops what cannot generalise (an n-gram from one ticket only) and keeps the model small.
 */
import { U32Map } from './hash';
import { type FeatureConfig, HashBuffer, countFeatures, isCharFeature } from './features';
import { CsrBuilder, type CsrMatrix, type SparseVector } from './sparse';

export interface FeatureSpaceConfig extends FeatureConfig {
  /** Keep an n-gram only if at least this many training texts contain it. */
  minDf: number;
  /** Upper bound on kept n-grams (most frequent first): bounds model size and memory. */
  maxFeatures: number;
  /** 1 + ln(tf) instead of raw counts: a word repeated ten times is not ten times the evidence. */
  sublinearTf: boolean;
  /** Norm of the char block relative to the word block (1 = equal, as sklearn's FeatureUnion). */
  charWeight: number;
}

export class FeatureSpace {
  private readonly index: U32Map;
  private readonly charBlock: Uint8Array;
  private readonly scratch = new HashBuffer();

  /** `keys` must be sorted ascending and distinct; feature i is the n-gram with hash keys[i]. */
  constructor(
    readonly config: FeatureSpaceConfig,
    readonly keys: Uint32Array,
    readonly idf: Float32Array,
  ) {
    if (keys.length !== idf.length) throw new Error('feature space: keys and idf differ in length');
    this.index = new U32Map(keys.length);
    this.charBlock = new Uint8Array(keys.length);
    for (let i = 0; i < keys.length; i++) {
      this.index.set(keys[i], i);
      this.charBlock[i] = isCharFeature(keys[i]) ? 1 : 0;
    }
  }

  get dim(): number {
    return this.keys.length;
  }

  /** Learns the kept n-grams and IDF from `texts`; returns the space and the texts already vectorised. */
  static fit(texts: string[], config: FeatureSpaceConfig): { space: FeatureSpace; matrix: CsrMatrix } {
    const scratch = new HashBuffer();
    const docs = texts.map((t) => countFeatures(t, config, scratch));
    const df = new U32Map(1 << 16);
    for (const d of docs) for (let i = 0; i < d.hashes.length; i++) df.add(d.hashes[i], 1);

    const keys = selectKeys(df, config);
    const n = texts.length;
    const idf = new Float32Array(keys.length);
    // sklearn's smoothed IDF: as if one extra document contained every term, so no division by zero.
    for (let i = 0; i < keys.length; i++) idf[i] = Math.log((1 + n) / (1 + df.get(keys[i]))) + 1;
    const space = new FeatureSpace(config, keys, idf);

    const builder = new CsrBuilder();
    for (let r = 0; r < docs.length; r++) {
      builder.push(space.weigh(docs[r].hashes, docs[r].counts));
      docs[r] = EMPTY_DOC; // release as we go: the raw counts of 50k texts are the peak of memory
    }
    return { space, matrix: builder.build() };
  }

  vectorize(text: string): SparseVector {
    const { hashes, counts } = countFeatures(text, this.config, this.scratch);
    return this.weigh(hashes, counts);
  }

  vectorizeMany(texts: string[]): CsrMatrix {
    const builder = new CsrBuilder();
    for (const t of texts) builder.push(this.vectorize(t));
    return builder.build();
  }

  /** Known n-grams only, tf-idf weighted, each block L2-normalised to its weight, the whole to norm 1. */
  private weigh(hashes: Uint32Array, counts: Uint16Array): SparseVector {
    const indices = new Int32Array(hashes.length);
    const values = new Float32Array(hashes.length);
    let n = 0;
    let wordSq = 0;
    let charSq = 0;
    for (let i = 0; i < hashes.length; i++) {
      const f = this.index.get(hashes[i]);
      if (f < 0) continue;
      const tf = this.config.sublinearTf ? 1 + Math.log(counts[i]) : counts[i];
      const v = tf * this.idf[f];
      indices[n] = f;
      values[n] = v;
      if (this.charBlock[f]) charSq += v * v;
      else wordSq += v * v;
      n++;
    }
    const wordScale = wordSq > 0 ? 1 / Math.sqrt(wordSq) : 0;
    const charScale = charSq > 0 ? this.config.charWeight / Math.sqrt(charSq) : 0;
    const total = Math.sqrt((wordSq > 0 ? 1 : 0) + (charSq > 0 ? this.config.charWeight ** 2 : 0));
    for (let i = 0; i < n; i++) {
      values[i] *= (this.charBlock[indices[i]] ? charScale : wordScale) / total;
    }
    return { indices: indices.subarray(0, n), values: values.subarray(0, n) };
  }
}

const EMPTY_DOC = { hashes: new Uint32Array(0), counts: new Uint16Array(0) };

/** Hashes with df >= minDf, the maxFeatures most frequent if more (ties by hash: deterministic), sorted. */
function selectKeys(df: U32Map, config: FeatureSpaceConfig): Uint32Array {
  const kept: number[] = [];
  const freq: number[] = [];
  df.forEach((key, count) => {
    if (count >= config.minDf) {
      kept.push(key);
      freq.push(count);
    }
  });
  let keys = Uint32Array.from(kept);
  if (keys.length > config.maxFeatures) {
    const order = Array.from(keys.keys()).sort((a, b) => freq[b] - freq[a] || kept[a] - kept[b]);
    keys = Uint32Array.from(order.slice(0, config.maxFeatures), (i) => kept[i]);
  }
  return keys.sort();
}
