/**
 * Expands the demo's text templates. Two constructs keep the catalog short yet the text varied:
 *   [a|b|c]  one alternative, chosen at random ("[|really ]" makes words optional); not nested
 *   {slot}   a word from the vocabulary (devices, apps, people, error codes...)
 * With a `memo`, a slot keeps its first value (one ticket's title and description talk about the same printer
 * and the same person). Templates are compiled once and cached: a 50,000-ticket benchmark tenant expands
 * about half a million of them, and re-parsing each with regular expressions dominated the generation time.
 */
import type { Rng } from './prng';

export type Vocabulary = Readonly<Record<string, readonly string[] | ((rng: Rng) => string)>>;

type Piece = string | { slot: string };
type Part = Piece | { choices: Piece[][] };

interface Compiled {
  parts: Part[];
  /** An empty alternative can leave double spaces or a space before punctuation: tidy only then. */
  needsTidy: boolean;
}

const cache = new Map<string, Compiled>();

/** Splits text into literals and {slot} references. */
function pieces(text: string): Piece[] {
  const out: Piece[] = [];
  const slot = /\{([a-z_]+)\}/g;
  let last = 0;
  for (let m = slot.exec(text); m !== null; m = slot.exec(text)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push({ slot: m[1] });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

function compile(template: string): Compiled {
  const parts: Part[] = [];
  let needsTidy = false;
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('[', i);
    if (open === -1) {
      parts.push(...pieces(template.slice(i)));
      break;
    }
    const close = template.indexOf(']', open);
    if (close === -1) throw new Error(`demo template has an unclosed "[": ${template}`);
    parts.push(...pieces(template.slice(i, open)));
    const alternatives = template.slice(open + 1, close).split('|');
    if (alternatives.some((a) => a === '')) needsTidy = true;
    parts.push({ choices: alternatives.map(pieces) });
    i = close + 1;
  }
  return { parts, needsTidy };
}

function renderPiece(piece: Piece, vocabulary: Vocabulary, rng: Rng, memo: Map<string, string> | undefined, template: string): string {
  if (typeof piece === 'string') return piece;
  const known = memo?.get(piece.slot);
  if (known !== undefined) return known;
  const source = vocabulary[piece.slot];
  if (source === undefined) throw new Error(`demo template uses unknown slot {${piece.slot}}: ${template}`);
  const value = typeof source === 'function' ? source(rng) : rng.pick(source);
  memo?.set(piece.slot, value);
  return value;
}

export function expand(template: string, vocabulary: Vocabulary, rng: Rng, memo?: Map<string, string>): string {
  let compiled = cache.get(template);
  if (!compiled) cache.set(template, (compiled = compile(template)));
  let out = '';
  for (const part of compiled.parts) {
    if (typeof part === 'object' && 'choices' in part) {
      for (const piece of rng.pick(part.choices)) out += renderPiece(piece, vocabulary, rng, memo, template);
    } else out += renderPiece(part, vocabulary, rng, memo, template);
  }
  return compiled.needsTidy ? out.replace(/ {2,}/g, ' ').replace(/ ([,.?!])/g, '$1').trim() : out;
}

export function capitalize(text: string): string {
  return text.length === 0 ? text : text[0].toUpperCase() + text.slice(1);
}
