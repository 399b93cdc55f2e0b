/** The fast tier: per-tenant hashed n-gram features + linear softmax per field, trained in seconds on CPU. */
export { trainFastModel } from './train';
export { FAST_DEFAULTS, FEATURES_STEP } from './train-options';
export type { FastTrainData, FastTrainOptions, FastProgress, FastHyperparameters } from './train-options';
export { FastModel } from './model';
export type { FastModelInfo } from './model-parts';
export { FAST_MODEL_MAGIC, FAST_MODEL_VERSION } from './serialize';
