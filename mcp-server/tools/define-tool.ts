/**
 * One tool = a name, a description an agent can act on, a zod input schema, an output schema and a handler.
 * Registration turns any thrown error into an isError result with a recoverable message (errors.ts).
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { McpContext } from '../context';
import { toolError } from '../errors';
import type { Extra } from '../wait-for-run';

export interface ToolDefinition<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  annotations?: ToolAnnotations;
  run(args: z.output<I>, ctx: McpContext, extra: Extra): Promise<CallToolResult>;
}

/** Identity, for type inference: the handler's args are typed from the input schema. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(tool: ToolDefinition<I, O>): ToolDefinition<I, O> {
  return tool;
}

export function registerTool(server: McpServer, ctx: McpContext, tool: ToolDefinition): void {
  server.registerTool(
    tool.name,
    { title: tool.title, description: tool.description, inputSchema: tool.input, outputSchema: tool.output, annotations: tool.annotations },
    async (args: unknown, extra: Extra) => {
      try {
        return await tool.run(args as z.output<typeof tool.input>, ctx, extra);
      } catch (err) {
        return toolError(ctx.client, err);
      }
    },
  );
}
