import type { Run } from '../store/runs';
import type { AdapterTrainParams } from './adapter-training';

/**
 * GPUs a run needs: an llm run that trains an adapter on CUDA takes the GPUs it asks for (all the engine has by
 * default); everything else runs on CPU.
 */
export function gpusForRun(run: Pick<Run, 'kind' | 'tier' | 'params'>, available: number): number {
  if (run.kind !== 'train' || run.tier !== 'llm') return 0;
  const train = (run.params as { train?: AdapterTrainParams } | null)?.train;
  if (!train || train.device === 'cpu') return 0;
  return Math.max(1, Math.min(train.gpus ?? available, Math.max(available, 1)));
}
