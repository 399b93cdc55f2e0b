/**
 * Waits for a run while telling the client how it goes: when the tool call carries a progressToken, each progress
 * event of the run's SSE stream becomes a notifications/progress (progress out of 100, with phase, loss and ETA).
 */
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { RunEvent } from '../engine/client/engine-client';
import type { McpContext } from './context';
import { loadRunView, type RunView } from './run-view';

export type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

function progressMessage(e: RunEvent): string {
  const d = e.data;
  const parts: string[] = [];
  if (typeof d.phase === 'string') parts.push(typeof d.field === 'string' ? `${d.phase} ${d.field}` : d.phase);
  if (typeof d.step === 'number' && typeof d.total === 'number') parts.push(`step ${d.step}/${d.total}`);
  if (typeof d.loss === 'number') parts.push(`loss ${d.loss.toFixed(4)}`);
  if (typeof d.etaS === 'number') parts.push(`ETA ${d.etaS} s`);
  return parts.join(', ') || 'running';
}

/** Resolves with the run's view once it is done, or as it stands when timeoutSeconds pass (timedOut: true). */
export async function waitForRun(
  ctx: McpContext,
  tenant: string,
  runId: number,
  extra: Extra,
  timeoutSeconds: number,
): Promise<{ view: RunView; timedOut: boolean }> {
  // The event stream answers a bad tenant or run with a bare status; this call gets the engine's own message.
  await ctx.client.getRun(tenant, runId);
  const token = extra._meta?.progressToken;
  const controller = new AbortController();
  const onCancel = () => controller.abort(extra.signal.reason);
  extra.signal.addEventListener('abort', onCancel, { once: true });
  const timer = setTimeout(() => controller.abort(new Error('wait timed out')), timeoutSeconds * 1000);
  // Progress must only grow, and notifications must leave before the result: chain them and await the chain.
  let sent = -1;
  let queue = Promise.resolve();
  const notify = (progress: number, message: string) => {
    if (token === undefined || progress <= sent) return;
    sent = progress;
    queue = queue
      .then(() => extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress, total: 100, message } }))
      .catch((err) => ctx.log(`progress notification failed: ${err instanceof Error ? err.message : String(err)}`));
  };
  try {
    await ctx.client.followRun(
      tenant,
      runId,
      (e) => {
        if (e.kind === 'progress' && typeof e.data.progress === 'number') notify(Math.round(e.data.progress * 1000) / 10, progressMessage(e));
        else if (e.kind === 'done') notify(100, `run ${runId} ${String(e.data.status ?? 'done')}`);
      },
      controller.signal,
    );
  } catch (err) {
    // A failure that is not our own abort (timeout or cancel) is the engine's, and its message says so.
    if (!controller.signal.aborted) throw err;
  } finally {
    clearTimeout(timer);
    extra.signal.removeEventListener('abort', onCancel);
  }
  await queue;
  if (extra.signal.aborted) throw new Error('the client cancelled the wait; the run goes on');
  const view = await loadRunView(ctx.client, tenant, runId);
  return { view, timedOut: controller.signal.aborted && !view.done };
}
