// Entry of every engine worker thread. Node 20 does not apply the main thread's tsx loader to workers, so the
// worker registers it itself, then loads the TypeScript job module and runs its default export. The message
// protocol (progress…, then one result or error) lives here and in worker-host.ts only.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { entry, data } = workerData;
try {
  const job = await import(entry);
  const value = await job.default(data, (message) => parentPort.postMessage(message));
  parentPort.postMessage({ type: 'result', value });
} catch (err) {
  parentPort.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
}
