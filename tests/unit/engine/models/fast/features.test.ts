import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FEATURE_CONFIG,
  HashBuffer,
  countFeatures,
  extractFeatureHashes,
  isCharFeature,
  normalizeText,
  tokenize,
} from '../../../../../engine/models/fast/features';

const hashesOf = (text: string, cfg = DEFAULT_FEATURE_CONFIG) => {
  const out = new HashBuffer();
  extractFeatureHashes(text, cfg, out);
  return Array.from(out.data.subarray(0, out.length));
};

describe('normalizeText / tokenize', () => {
  it('lower-cases and keeps German umlauts and ß inside words', () => {
    expect(tokenize('Drucker läuft NICHT, Straße gesperrt!')).toEqual(['drucker', 'läuft', 'nicht', 'straße', 'gesperrt']);
  });

  it('treats decomposed umlauts like composed ones', () => {
    const decomposed = 'Mu\u0308ller'; // u + combining diaeresis
    expect(normalizeText(decomposed)).toBe('müller');
    expect(countFeatures(decomposed, DEFAULT_FEATURE_CONFIG)).toEqual(countFeatures('Müller', DEFAULT_FEATURE_CONFIG));
  });

  it('reads escaped newlines as whitespace', () => {
    expect(tokenize('Team,\\n\\nich habe')).toEqual(['team', 'ich', 'habe']);
  });

  it('splits on punctuation and keeps digits and non-Latin letters', () => {
    expect(tokenize('VPN-Fehler 809 — Ошибка входа')).toEqual(['vpn', 'fehler', '809', 'ошибка', 'входа']);
  });
});

describe('extractFeatureHashes', () => {
  it('is deterministic', () => {
    const text = 'Outlook stürzt ab beim Öffnen des Kalenders';
    expect(hashesOf(text)).toEqual(hashesOf(text));
  });

  it('emits one unigram per token, one bigram per adjacent pair and the char n-grams of " token "', () => {
    const cfg = { wordNgramMax: 2, charNgramMin: 2, charNgramMax: 3 };
    // " ab " has 3 bigrams and 2 trigrams; " cde " has 4 bigrams and 3 trigrams.
    const all = hashesOf('ab cde', cfg);
    const words = all.filter((h) => !isCharFeature(h));
    const chars = all.filter(isCharFeature);
    expect(words).toHaveLength(2 + 1);
    expect(chars).toHaveLength(3 + 2 + 4 + 3);
  });

  it('word features do not depend on the char settings and vice versa', () => {
    const wordsOnly = hashesOf('reset my password', { wordNgramMax: 2, charNgramMin: 2, charNgramMax: 0 });
    expect(wordsOnly.every((h) => !isCharFeature(h))).toBe(true);
    expect(wordsOnly).toHaveLength(3 + 2);
    const unigrams = hashesOf('reset my password', { wordNgramMax: 1, charNgramMin: 2, charNgramMax: 0 });
    expect(unigrams).toHaveLength(3);
    const trigrams = hashesOf('reset my password now', { wordNgramMax: 3, charNgramMin: 2, charNgramMax: 0 });
    expect(new Set(trigrams).size).toBe(4 + 3 + 2);
    expect(trigrams).toEqual(expect.arrayContaining(hashesOf('reset my password now', { wordNgramMax: 2, charNgramMin: 2, charNgramMax: 0 })));
  });

  it('bigrams are order-sensitive: "password reset" differs from "reset password"', () => {
    const cfg = { wordNgramMax: 2, charNgramMin: 2, charNgramMax: 0 };
    expect(new Set(hashesOf('password reset', cfg))).not.toEqual(new Set(hashesOf('reset password', cfg)));
  });

  it('gives shared char n-grams to related German words (Drucker / Druckerproblem)', () => {
    const a = new Set(hashesOf('Drucker').filter(isCharFeature));
    const b = new Set(hashesOf('Druckerproblem').filter(isCharFeature));
    const shared = [...a].filter((h) => b.has(h));
    expect(shared.length).toBeGreaterThan(8);
  });

  it('emits nothing for text without letters or digits', () => {
    expect(hashesOf('  ?!  --- ')).toEqual([]);
  });
});

describe('countFeatures', () => {
  it('returns distinct sorted hashes with their counts', () => {
    const cfg = { wordNgramMax: 1, charNgramMin: 2, charNgramMax: 0 };
    const { hashes, counts } = countFeatures('printer printer jam', cfg);
    expect(hashes).toHaveLength(2);
    expect(hashes[0]).toBeLessThan(hashes[1]);
    expect([...counts].sort()).toEqual([1, 2]);
  });
});
