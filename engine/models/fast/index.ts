/** The fast tier: per-tenant hashed n-gram features + linear softmax per field, trained in seconds on CPU. */
export { trainFastModel, FAST_DEFAULTS, FEATURES_STEP } from './train';
export type { FastTrainData, FastTrainOptions, FastProgress } from './train';
export { FastModel } from './model';
export type { FastModelInfo } from './model-parts';
export { FAST_MODEL_MAGIC, FAST_MODEL_VERSION } from './serialize';
