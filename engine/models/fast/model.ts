/** The trained fast-tier model: text -> calibrated probabilities over each field's known classes. */
import type { FieldProbabilities } from '../../triage/types';
import { linearLogits } from './linear';
import type { FastModelInfo, FastModelParts, FieldModel } from './model-parts';
import { decodeFastModel, encodeFastModel } from './serialize';
import type { SparseVector } from './sparse';

export class FastModel {
  readonly fields: string[];
  readonly info: FastModelInfo;
  private readonly byName: Map<string, FieldModel>;
  private readonly logits: Float64Array;

  constructor(private readonly parts: FastModelParts) {
    this.fields = parts.fields.map((f) => f.name);
    this.info = parts.info;
    this.byName = new Map(parts.fields.map((f) => [f.name, f]));
    const widest = Math.max(1, ...parts.fields.map((f) => f.classes.length));
    this.logits = new Float64Array(widest);
  }

  /** The labels seen in training for `field` (model order); throws for a field the model does not know. */
  classes(field: string): string[] {
    const f = this.byName.get(field);
    if (!f) throw new Error(`fast model has no field '${field}' (fields: ${this.fields.join(', ') || 'none'})`);
    return [...f.classes];
  }

  predictProba(text: string): FieldProbabilities {
    const x = this.parts.space.vectorize(text);
    const out: FieldProbabilities = {};
    for (const f of this.parts.fields) out[f.name] = this.fieldProba(f, x);
    return out;
  }

  predictProbaBatch(texts: string[]): FieldProbabilities[] {
    return texts.map((t) => this.predictProba(t));
  }

  toBuffer(): Uint8Array {
    return encodeFastModel(this.parts);
  }

  static fromBuffer(buf: Uint8Array): FastModel {
    return new FastModel(decodeFastModel(buf));
  }

  private fieldProba(f: FieldModel, x: SparseVector): Map<string, number> {
    if (f.linear === null) return new Map([[f.classes[0], 1]]);
    const z = this.logits.subarray(0, f.classes.length);
    linearLogits(f.linear, x, z);
    // Inline softmax(z / T): this is the per-ticket hot path, no intermediate arrays.
    let max = -Infinity;
    for (let c = 0; c < z.length; c++) if (z[c] > max) max = z[c];
    let sum = 0;
    for (let c = 0; c < z.length; c++) {
      z[c] = Math.exp((z[c] - max) / f.temperature);
      sum += z[c];
    }
    const probs = new Map<string, number>();
    for (let c = 0; c < z.length; c++) probs.set(f.classes[c], z[c] / sum);
    return probs;
  }
}
