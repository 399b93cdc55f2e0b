/**
 * Renders chat messages into the model's own prompt through node-llama-cpp's Jinja chat wrapper, using the chat
 * template stored in the GGUF (tokenizer.chat_template): the same template the trainer applies with
 * transformers' apply_chat_template. Message text is kept apart from the template's special tokens, so a ticket
 * that contains "<|im_start|>" is read as text, never as a control token.
 */
import { JinjaTemplateChatWrapper, type ChatHistoryItem, type LlamaModel, type LlamaText, type Token } from 'node-llama-cpp';
import type { ChatMessage } from '../../triage/prompt';

const wrappers = new WeakMap<LlamaModel, JinjaTemplateChatWrapper>();

export function chatTemplateOf(model: LlamaModel): string {
  const template = (model.fileInfo.metadata.tokenizer as { chat_template?: string } | undefined)?.chat_template;
  if (!template) throw new Error('the base model has no chat template (tokenizer.chat_template) in its GGUF');
  return template;
}

function wrapperFor(model: LlamaModel): JinjaTemplateChatWrapper {
  let w = wrappers.get(model);
  if (!w) wrappers.set(model, (w = new JinjaTemplateChatWrapper({ template: chatTemplateOf(model) })));
  return w;
}

export function renderPrompt(model: LlamaModel, messages: ChatMessage[]): LlamaText {
  const history: ChatHistoryItem[] = messages.map((m) =>
    m.role === 'system' ? { type: 'system', text: m.content } : m.role === 'user' ? { type: 'user', text: m.content } : { type: 'model', response: [m.content] },
  );
  // An empty model turn at the end asks for the generation prompt ("<|im_start|>assistant\n").
  history.push({ type: 'model', response: [] });
  return wrapperFor(model).generateContextState({ chatHistory: history }).contextText;
}

/** The prompt's text exactly as the model reads it (special tokens spelled out). */
export function renderPromptText(model: LlamaModel, messages: ChatMessage[]): string {
  return renderPrompt(model, messages).toString();
}

export function promptTokens(model: LlamaModel, messages: ChatMessage[]): Token[] {
  return renderPrompt(model, messages).tokenize(model.tokenizer);
}
