/** What a trained fast model consists of; the in-memory model and its binary form both hold exactly this. */
import type { FeatureSpace } from './feature-space';
import type { FieldSetting } from './field-search';
import type { LinearSoftmax } from './linear';

export interface FieldModel {
  name: string;
  /** Class values in model order (sorted); index i is logit i. */
  classes: string[];
  /** null for a field with a single class in training: it is always predicted, with probability 1. */
  linear: LinearSoftmax | null;
  /** Calibration temperature fitted on validation logits (1 without validation data). */
  temperature: number;
}

export interface FastModelInfo {
  featureDim: number;
  trainedOn: number;
  hyper: Record<string, unknown>;
  temperature: Record<string, number>;
  /** Per field, the setting the validation search kept and its validation scores (absent in older models). */
  selected?: Record<string, FieldSelection>;
}

export interface FieldSelection {
  setting: FieldSetting;
  bestEpoch: number;
  validationLoss?: number;
  validationAccuracy?: number;
  /** How many settings were tried. */
  candidates: number;
}

export interface FastModelParts {
  space: FeatureSpace;
  fields: FieldModel[];
  info: FastModelInfo;
}
