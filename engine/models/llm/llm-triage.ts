/**
 * Triage of one ticket by the LLM: the prompt, then the JSON answer field by field (parents before children).
 * At each value the model can only spell one of the field's allowed choices (choice-search.ts); a child field is
 * offered only the choices under its chosen parent. Every answer is valid JSON within the choices by construction.
 *
 * Confidence: the search gives each top choice's probability among the allowed ones; a per-field temperature
 * fitted on the validation split calibrates it (the unexplored tail counted as one lump). A child's confidence is
 * its conditional one times its parent's, which is the probability that both are right.
 */
import type { LlamaModel, Token } from 'node-llama-cpp';
import { softmaxWithTemperature } from '../../triage/calibrate';
import { allowedChoices, type AllowedChoice } from '../../triage/decode-choices';
import { answerFieldOrder, answerScaffold, choiceTexts, jsonStringContent, promptMessages, type PromptExample } from '../../triage/prompt';
import type { Alternative, FieldPrediction, FieldSchema, TicketText } from '../../triage/types';
import { promptTokens } from './chat-render';
import { buildChoiceTrie } from './choice-trie';
import { BranchScorer, searchChoices } from './choice-search';
import type { LlmRuntime } from './runtime';

export interface LlmTriageOptions {
  adapterFile: string | null;
  /** Per-field temperature (1 when absent). */
  temperatures?: Record<string, number>;
  examples?: PromptExample[];
  /** Requested choices per field (values or labels), overriding the schema's active choices. */
  choices?: Record<string, string[]>;
  topK?: number;
  maxEvaluations?: number;
  /** Branches scored per step (default: the runtime's searchWidth). */
  searchWidth?: number;
  /** See SearchOptions.minAlternativeProbability (default 0.01). */
  minAlternativeProbability?: number;
  /**
   * Fields answered by another tier (the fast one, where it was more accurate on held-out tickets): their values
   * are written into the answer as given, and later fields are conditioned on them.
   */
  forced?: Record<string, FieldPrediction>;
}

/** Raw search output per field, before calibration: what the validation split fits temperatures on. */
export interface FieldScores {
  values: string[];
  logProbs: number[];
  residual: number;
}

export interface LlmTriageResult {
  fields: Record<string, FieldPrediction>;
  scores: Record<string, FieldScores>;
  /** Branches the model scored. */
  evaluations: number;
  /** Model calls one after another: what latency follows. */
  steps: number;
  answer: string;
  /** What was cut so the prompt fits the model's context (retrieval examples first, then the description). */
  warnings: string[];
}

const DEFAULT_TOP_K = 3;
const DEFAULT_MAX_EVALUATIONS = 48;
const DEFAULT_MIN_ALTERNATIVE = 0.01;

function round4(x: number): number {
  return Math.round(Math.min(1, Math.max(0, x)) * 1e4) / 1e4;
}

function unpredictable(reason: string): FieldPrediction {
  return { status: 'unpredictable', value: null, label: null, confidence: 0, alternatives: [], reason };
}

/** Calibrated probabilities of the top choices: temperature over their log-probabilities plus the tail lump. */
export function calibratedTop(scores: FieldScores, temperature: number): number[] {
  const logits = [...scores.logProbs];
  if (scores.residual > 1e-9) logits.push(Math.log(scores.residual));
  return softmaxWithTemperature(logits, temperature).slice(0, scores.logProbs.length);
}

class TokenCache {
  private readonly cache = new Map<string, Token[]>();
  constructor(private readonly model: LlamaModel) {}
  get(text: string): Token[] {
    let t = this.cache.get(text);
    if (!t) {
      t = this.model.tokenize(text, false);
      if (this.cache.size > 50_000) this.cache.clear();
      this.cache.set(text, t);
    }
    return t;
  }
}
const caches = new WeakMap<LlamaModel, TokenCache>();
function tokensOf(model: LlamaModel, text: string): Token[] {
  let c = caches.get(model);
  if (!c) caches.set(model, (c = new TokenCache(model)));
  return c.get(text);
}

/** Tokens the answer can take: every scaffold piece plus each field's longest choice, and a little slack. */
function answerReserve(model: LlamaModel, fields: FieldSchema[], scaffold: Token[][]): number {
  let n = scaffold.reduce((sum, s) => sum + s.length, 0) + 8;
  for (const f of fields) {
    const texts = [...choiceTexts(f.choices).values()];
    n += Math.max(0, ...texts.map((t) => tokensOf(model, jsonStringContent(t)).length));
  }
  return n;
}

/**
 * The chat prompt within `limit` tokens. A long ticket (the API accepts 20,000 characters) or many retrieval
 * examples could otherwise overflow the context, where llama.cpp would silently shift out the system message.
 * Examples go first (the nearest are kept), then the description is cut from its end.
 */
function fitPrompt(model: LlamaModel, ticket: TicketText, schema: FieldSchema[], examples: PromptExample[], contextSize: number, reserve: number): { prompt: Token[]; warnings: string[] } {
  const limit = contextSize - reserve;
  const warnings: string[] = [];
  const render = (t: TicketText, ex: PromptExample[]) => promptTokens(model, promptMessages(t, schema, { examples: ex }));
  let kept = examples;
  let prompt = render(ticket, kept);
  while (prompt.length > limit && kept.length > 0) {
    kept = kept.slice(0, -1);
    prompt = render(ticket, kept);
  }
  if (kept.length < examples.length) warnings.push(`${examples.length - kept.length} of ${examples.length} retrieval examples left out to fit the model's context`);
  let description = ticket.description;
  for (let attempt = 0; attempt < 6 && prompt.length > limit && description.length > 0; attempt++) {
    const charsPerToken = description.length / Math.max(1, tokensOf(model, description).length);
    description = description.slice(0, Math.max(0, description.length - Math.ceil((prompt.length - limit + 4) * charsPerToken * 1.1)));
    prompt = render({ ...ticket, description }, kept);
  }
  if (description.length < ticket.description.length) {
    warnings.push(`description cut from ${ticket.description.length} to ${description.length} characters to fit the model's context`);
  }
  if (prompt.length > limit) {
    throw new Error(
      `the prompt needs ${prompt.length} tokens even without the description, but a context of ${contextSize} tokens leaves ` +
        `${limit} once ${reserve} are kept for the answer: raise the LLM context size or shorten the title and the field schema`,
    );
  }
  return { prompt, warnings };
}

export async function llmTriage(runtime: LlmRuntime, ticket: TicketText, schema: FieldSchema[], opts: LlmTriageOptions): Promise<LlmTriageResult> {
  const model = runtime.model;
  const fields = answerFieldOrder(schema);
  const scaffold = answerScaffold(fields).map((s) => tokensOf(model, s));
  const { prompt, warnings } = fitPrompt(model, ticket, schema, opts.examples ?? [], runtime.contextSize, answerReserve(model, fields, scaffold));
  const topK = (opts.topK ?? DEFAULT_TOP_K) + 1;
  const lease = await runtime.acquire(opts.adapterFile);
  try {
    let prefix: Token[] = [...prompt, ...scaffold[0]];
    // A fresh sequence (or one last used for another schema) copies the system message from a sequence that has it.
    await lease.adoptPrefix(prefix);
    const scorer = new BranchScorer(lease, opts.searchWidth ?? runtime.searchWidth);
    const out: Record<string, FieldPrediction> = {};
    const scores: Record<string, FieldScores> = {};
    const chosen = new Map<string, { value: string; confidence: number }>();
    const answer: string[] = [answerScaffold(fields)[0]];
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i];
      const requested = opts.choices && Object.prototype.hasOwnProperty.call(opts.choices, field.name) ? opts.choices[field.name] : undefined;
      let allowed: AllowedChoice[] = allowedChoices(field, requested);
      const parent = field.parentField ? chosen.get(field.parentField) : undefined;
      if (parent) allowed = allowed.filter((c) => c.parent === null || c.parent === parent.value);
      const next = scaffold[i + 1];
      const known = choiceTexts(field.choices);
      const forced = opts.forced?.[field.name];
      if (forced?.status === 'predicted' && forced.value !== null) {
        const text = known.get(forced.value) ?? forced.label ?? forced.value;
        out[field.name] = forced;
        chosen.set(field.name, { value: forced.value, confidence: forced.confidence });
        prefix = [...prefix, ...tokensOf(model, jsonStringContent(text)), ...next];
        answer.push(jsonStringContent(text), answerScaffold(fields)[i + 1]);
        continue;
      }
      if (allowed.length === 0) {
        out[field.name] = unpredictable(
          parent ? `no allowed choice of "${field.name}" belongs to ${field.parentField} "${parent.value}"` : requested ? `the request allows no choices for field "${field.name}"` : `field "${field.name}" has no active choices in the schema`,
        );
        prefix = [...prefix, ...next];
        answer.push('', answerScaffold(fields)[i + 1]);
        continue;
      }
      const texts = allowed.map((c) => known.get(c.value) ?? c.label);
      const trie = buildChoiceTrie(texts.map((t) => [...tokensOf(model, jsonStringContent(t)), next[0]]));
      const result = await searchChoices(scorer, prefix, trie, {
        topK,
        maxEvaluations: opts.maxEvaluations ?? DEFAULT_MAX_EVALUATIONS,
        minAlternativeProbability: opts.minAlternativeProbability ?? DEFAULT_MIN_ALTERNATIVE,
      });
      const fieldScores: FieldScores = { values: result.top.map((t) => allowed[t.choice].value), logProbs: result.top.map((t) => t.logProb), residual: result.residual };
      scores[field.name] = fieldScores;
      const probs = calibratedTop(fieldScores, opts.temperatures?.[field.name] ?? 1);
      const parentConfidence = parent?.confidence ?? 1;
      const best = allowed[result.top[0].choice];
      const confidence = probs[0] * parentConfidence;
      const alternatives: Alternative[] = result.top.slice(1).map((t, j) => ({
        value: allowed[t.choice].value,
        label: allowed[t.choice].label,
        confidence: round4(probs[j + 1] * parentConfidence),
      }));
      out[field.name] = { status: 'predicted', value: best.value, label: best.label, confidence: round4(confidence), alternatives };
      chosen.set(field.name, { value: best.value, confidence });
      prefix = [...prefix, ...result.bestPath, ...next.slice(1)];
      answer.push(jsonStringContent(texts[result.top[0].choice]), answerScaffold(fields)[i + 1]);
    }
    const ordered: Record<string, FieldPrediction> = {};
    for (const f of schema) ordered[f.name] = out[f.name];
    return { fields: ordered, scores, evaluations: scorer.evaluations, steps: scorer.steps, answer: answer.join(''), warnings };
  } finally {
    lease.release();
  }
}
