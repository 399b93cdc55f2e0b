import { Worker } from 'node:worker_threads';

const BOOT = new URL('./worker-boot.mjs', import.meta.url);

/**
 * Starts a worker thread that runs the default export of a TypeScript module: `(data, post) => result`.
 * worker-boot.mjs registers tsx inside the thread, because Node 20 does not carry the loader into workers.
 */
export function startWorker(file: URL, data: unknown): Worker {
  return new Worker(BOOT, { workerData: { entry: file.href, data } });
}

export interface WorkerMessage {
  type: string;
  [key: string]: unknown;
}

/**
 * Runs a worker to completion: resolves with its 'result' message, forwards the others, rejects on 'error'
 * or a crash. Aborting the signal terminates the thread at once: training loops are synchronous, so a message
 * asking them to stop would not be read until they finished anyway.
 */
export function runWorker<T>(
  file: URL,
  workerData: unknown,
  opts: { signal?: AbortSignal; onMessage?: (msg: WorkerMessage) => void },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (opts.signal?.aborted) return reject(opts.signal.reason);
    const worker = startWorker(file, workerData);
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      void worker.terminate();
      settle(() => reject(opts.signal?.reason ?? new Error('aborted')));
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (msg: WorkerMessage) => {
      if (msg.type === 'result') settle(() => resolve(msg.value as T));
      else if (msg.type === 'error') settle(() => reject(new Error(String(msg.message))));
      else opts.onMessage?.(msg);
    });
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', (code) => settle(() => reject(new Error(`worker exited with code ${code} before it finished`))));
  });
}
