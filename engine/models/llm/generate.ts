/**
 * Plain generation of the answer, with or without the choice grammar: what llama.cpp gives out of the box. The
 * engine serves through choice search (llm-triage.ts), which also yields probabilities; this path exists to
 * measure against it (`npm run bench -- llm`) and to prove the grammar alone keeps free generation valid.
 */
import { LlamaCompletion, type LlamaGrammar } from 'node-llama-cpp';
import { allowedChoices, type AllowedChoice } from '../../triage/decode-choices';
import { promptMessages, type PromptExample } from '../../triage/prompt';
import type { FieldSchema, TicketText } from '../../triage/types';
import { promptTokens } from './chat-render';
import { answerGrammar } from './grammar';
import type { LlmRuntime } from './runtime';

export interface GenerateOptions {
  adapterFile: string | null;
  /** Constrain with the choice grammar (default true). */
  grammar?: boolean;
  choices?: Record<string, string[]>;
  examples?: PromptExample[];
  maxTokens?: number;
}

export interface GenerateResult {
  text: string;
  tokens: number;
}

/** Compiled grammars per llama.cpp instance (a grammar belongs to the instance that made it), by GBNF text. */
const grammarCaches = new WeakMap<object, Map<string, Promise<LlamaGrammar>>>();

function cachedGrammar(runtime: LlmRuntime, gbnf: string): Promise<LlamaGrammar> {
  let cache = grammarCaches.get(runtime.llama);
  if (!cache) grammarCaches.set(runtime.llama, (cache = new Map()));
  let pending = cache.get(gbnf);
  if (!pending) {
    if (cache.size > 64) cache.clear();
    const made = runtime.llama.createGrammar({ grammar: gbnf });
    cache.set(gbnf, made);
    made.catch(() => cache.delete(gbnf)); // a failure is not remembered: the next request tries again
    pending = made;
  }
  return pending;
}

/** Allowed choices per field for a request, as the grammar and the search both read them. */
export function allowedByField(schema: FieldSchema[], choices?: Record<string, string[]>): Record<string, AllowedChoice[]> {
  return Object.fromEntries(schema.map((f) => [f.name, allowedChoices(f, choices && Object.prototype.hasOwnProperty.call(choices, f.name) ? choices[f.name] : undefined)]));
}

export async function generateAnswer(runtime: LlmRuntime, ticket: TicketText, schema: FieldSchema[], opts: GenerateOptions): Promise<GenerateResult> {
  const prompt = promptTokens(runtime.model, promptMessages(ticket, schema, { examples: opts.examples }));
  let grammar: LlamaGrammar | undefined;
  if (opts.grammar !== false) {
    grammar = await cachedGrammar(runtime, answerGrammar(schema, allowedByField(schema, opts.choices)));
  }
  const lease = await runtime.acquire(opts.adapterFile);
  try {
    await lease.sequence.clearHistory();
    const completion = new LlamaCompletion({ contextSequence: lease.sequence, autoDisposeSequence: false });
    try {
      let tokens = 0;
      const text = await completion.generateCompletion(prompt, {
        grammar,
        temperature: 0,
        maxTokens: opts.maxTokens ?? 256,
        onToken: (t) => (tokens += t.length),
      });
      return { text, tokens };
    } finally {
      completion.dispose({ disposeSequence: false });
    }
  } finally {
    lease.release();
  }
}
