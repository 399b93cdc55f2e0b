import { EventEmitter } from 'node:events';
import type { RunEvent } from '../store/runs';

/**
 * In-process fan-out of run events to live listeners (SSE streams, CLI waiters). The database stays the record:
 * a listener that connects late first reads stored events, then follows the bus.
 */
export class RunEventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every open SSE stream is a listener; the default cap of 10 would warn on a busy dashboard.
    this.emitter.setMaxListeners(0);
  }

  publish(event: RunEvent): void {
    this.emitter.emit(String(event.runId), event);
    this.emitter.emit('*', event);
  }

  /** Listens to one run, or to every run with '*'; returns the function that stops listening. */
  subscribe(runId: number | '*', listener: (event: RunEvent) => void): () => void {
    const key = String(runId);
    this.emitter.on(key, listener);
    return () => this.emitter.off(key, listener);
  }
}
