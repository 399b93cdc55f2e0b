import { runSyncBench } from './sync';
process.argv.push('--tickets', '20000', '--latency', '50');
await runSyncBench();
