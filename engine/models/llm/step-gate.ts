/**
 * Lines up the search steps of the requests in flight on one llama.cpp context, so that they go into the same
 * batch: on a GPU a batch of 8 evaluations costs about what one does.
 *
 * Left alone, concurrent requests drift apart: node-llama-cpp decodes under a context lock that it keeps while more
 * evaluations arrive, erasing a branch needs that lock, and whichever request continues first feeds the decode loop
 * one evaluation at a time (measured: batch 8 ran about as fast as batch 1). So a step waits while any step of this
 * context is still being evaluated, and the waiting steps are let go together, one macrotask after the last
 * evaluation came back (its requests have then all reached their next step). A lone request waits for nothing but
 * that macrotask.
 */
export class StepGate {
  private evaluating = 0;
  private waiting: (() => void)[] = [];
  private scheduled = false;

  /** Runs `evaluate` (which queues a step's evaluations and awaits them) in turn with the other requests' steps. */
  async run<T>(evaluate: () => Promise<T>): Promise<T> {
    await new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
    this.evaluating++;
    try {
      return await evaluate();
    } finally {
      this.evaluating--;
      this.schedule();
    }
  }

  private schedule(): void {
    if (this.scheduled || this.evaluating > 0 || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.evaluating > 0) return; // one was let go meanwhile: the others wait for it
      const go = this.waiting;
      this.waiting = [];
      for (const resolve of go) resolve();
    });
  }
}
