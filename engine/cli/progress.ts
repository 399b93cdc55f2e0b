import { SingleBar } from 'cli-progress';
import type { RunEvent } from '../client/engine-client';

/**
 * A progress bar fed by run events: percentage, ETA, step and loss. In a terminal it redraws in place;
 * in a log (CI, pipes) it prints a line every few seconds instead.
 */
export function runProgressBar(label: string) {
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | ETA {etaText} | {detail}`,
    barCompleteChar: '█',
    barIncompleteChar: '░',
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 3000,
    stream: process.stderr,
  });
  bar.start(100, 0, { etaText: '--', detail: 'queued' });
  return {
    onEvent(e: RunEvent) {
      if (e.kind !== 'progress') return;
      const d = e.data as { progress?: number; etaS?: number | null; step?: number; total?: number; loss?: number; field?: string; epoch?: number; phase?: string };
      const parts: string[] = [];
      if (d.step !== undefined && d.total) parts.push(`step ${d.step}/${d.total}`);
      if (d.field) parts.push(`field ${d.field}`);
      if (d.epoch !== undefined) parts.push(`epoch ${d.epoch}`);
      if (typeof d.loss === 'number') parts.push(`loss ${d.loss.toFixed(4)}`);
      if (d.phase && !parts.length) parts.push(d.phase);
      bar.update(Math.round((d.progress ?? 0) * 100), {
        etaText: d.etaS === null || d.etaS === undefined ? '--' : `${Math.ceil(d.etaS)}s`,
        detail: parts.join(' · ') || 'running',
      });
    },
    stop(success: boolean) {
      if (success) bar.update(100, { etaText: '0s', detail: 'done' });
      bar.stop();
    },
  };
}
