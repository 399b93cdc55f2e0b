import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertPeftAdapter } from '../../../../engine/models/llm/formats/lora-gguf';
import { adapterBytes } from '../../../../engine/training/llm-run';

const TINY = path.resolve('tests/fixtures/llm/tiny');

describe('the adapter an llm checkpoint stores', () => {
  it("reuses a trainer checkpoint's own GGUF when it is newer than the PEFT weights, else converts them", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-adapter-'));
    fs.cpSync(path.join(TINY, 'adapter-0'), dir, { recursive: true });
    const converted = convertPeftAdapter(dir).bytes;
    // A GGUF written after the checkpoint (here: the other adapter's, to tell them apart) is what gets stored.
    const gguf = path.join(dir, 'adapter.gguf');
    fs.copyFileSync(path.join(TINY, 'adapter-1.gguf'), gguf);
    expect((await adapterBytes(dir)).equals(fs.readFileSync(gguf))).toBe(true);
    // An older GGUF (the weights changed after it) is ignored: the weights are converted again.
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(gguf, past, past);
    expect((await adapterBytes(dir)).equals(converted)).toBe(true);
    // A broken GGUF that looks current is refused, not stored.
    fs.writeFileSync(gguf, 'not a gguf');
    await expect(adapterBytes(dir)).rejects.toThrow(/adapter/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
