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
  /** 1 where feature i is a char n-gram (the char block), 0 for a word n-gram. */
  readonly charBlock: Uint8Array;
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
    // One hash lookup per n-gram occurrence: each distinct n-gram gets a provisional id (first-seen order),
    // documents keep ids, and after selection an array maps ids to final indices (no second hash pass).
    const scratch = new HashBuffer();
    const ids = new U32Map(1 << 16);
    const table = { hashOf: new Uint32Array(1 << 16), df: new Int32Array(1 << 16), size: 0 };
    const docs = texts.map((text) => {
      const { hashes, counts } = countFeatures(text, config, scratch);
      const docIds = new Int32Array(hashes.length);
      for (let i = 0; i < hashes.length; i++) {
        let id = ids.get(hashes[i]);
        if (id < 0) {
          id = addDistinct(table, hashes[i]);
          ids.set(hashes[i], id);
        }
        table.df[id]++;
        docIds[i] = id;
      }
      return { ids: docIds, counts };
    });

    const kept = selectIds(table, config);
    const n = texts.length;
    const keys = Uint32Array.from(kept, (id) => table.hashOf[id]);
    // sklearn's smoothed IDF: as if one extra document contained every term, so no division by zero.
    const idf = Float32Array.from(kept, (id) => Math.log((1 + n) / (1 + table.df[id])) + 1);
    const space = new FeatureSpace(config, keys, idf);
    const finalIndex = new Int32Array(table.size).fill(-1);
    kept.forEach((id, i) => {
      finalIndex[id] = i;
    });

    const builder = new CsrBuilder(docs.reduce((s, d) => s + d.ids.length, 0));
    for (let r = 0; r < docs.length; r++) {
      const doc = docs[r];
      for (let i = 0; i < doc.ids.length; i++) doc.ids[i] = finalIndex[doc.ids[i]];
      builder.push(space.weigh(doc.ids, doc.counts));
      docs[r] = EMPTY_DOC; // release as we go: the raw counts of 50k texts are the peak of memory
    }
    return { space, matrix: builder.build() };
  }

  vectorize(text: string): SparseVector {
    const { hashes, counts } = countFeatures(text, this.config, this.scratch);
    const features = new Int32Array(hashes.length);
    for (let i = 0; i < hashes.length; i++) features[i] = this.index.get(hashes[i]);
    return this.weigh(features, counts);
  }

  vectorizeMany(texts: string[]): CsrMatrix {
    const builder = new CsrBuilder();
    for (const t of texts) builder.push(this.vectorize(t));
    return builder.build();
  }

  /**
   * Features (index, or -1 for an n-gram outside the space) with their counts -> tf-idf weighted vector, each
   * block L2-normalised to its weight, the whole to norm 1.
   */
  private weigh(features: Int32Array, counts: Uint16Array): SparseVector {
    const indices = new Int32Array(features.length);
    const values = new Float32Array(features.length);
    let n = 0;
    let wordSq = 0;
    let charSq = 0;
    for (let i = 0; i < features.length; i++) {
      const f = features[i];
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

const EMPTY_DOC = { ids: new Int32Array(0), counts: new Uint16Array(0) };

interface DistinctTable {
  hashOf: Uint32Array;
  df: Int32Array;
  size: number;
}

/** Appends a new distinct n-gram (df 0) and returns its provisional id, growing the arrays as needed. */
function addDistinct(table: DistinctTable, hash: number): number {
  if (table.size === table.hashOf.length) {
    const hashOf = new Uint32Array(table.size * 2);
    hashOf.set(table.hashOf);
    const df = new Int32Array(table.size * 2);
    df.set(table.df);
    table.hashOf = hashOf;
    table.df = df;
  }
  table.hashOf[table.size] = hash;
  return table.size++;
}

/**
 * Provisional ids with df >= minDf, the maxFeatures most frequent if more (ties by hash: deterministic),
 * ordered by hash (the order of the final feature indices).
 */
function selectIds(table: DistinctTable, config: FeatureSpaceConfig): number[] {
  let kept: number[] = [];
  for (let id = 0; id < table.size; id++) if (table.df[id] >= config.minDf) kept.push(id);
  const byHash = (a: number, b: number) => table.hashOf[a] - table.hashOf[b];
  if (kept.length > config.maxFeatures) {
    kept = kept.sort((a, b) => table.df[b] - table.df[a] || byHash(a, b)).slice(0, config.maxFeatures);
  }
  return kept.sort(byHash);
}
