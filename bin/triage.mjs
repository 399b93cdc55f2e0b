#!/usr/bin/env node
// The `triage` command: registers tsx so Node runs the TypeScript CLI directly (no build step), then starts it.
import { register } from 'tsx/esm/api';

register();
await import('../engine/cli/main.ts');
