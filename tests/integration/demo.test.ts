import { afterAll, describe, expect, it } from 'vitest';
import { bodyOf, startEngine, type EngineProcess } from '../helpers/engine-process';

/** `npm start` on an empty data directory: a trained, deployed demo tenant and a curl that works. */
describe('serve --demo on an empty data directory', () => {
  let engine: EngineProcess | undefined;
  afterAll(async () => {
    await engine?.stop();
  });

  it('creates, trains and deploys the demo tenant and prints a working curl', async () => {
    engine = await startEngine({ args: ['--demo'], waitFor: /-d '\{.*\}'\n/ });
    const out = engine.output();
    expect(out).toMatch(/Demo model trained and deployed\. Held-out accuracy: .*issue_type \d+\.\d%/);
    const curl = /curl -s (\S+) -H 'content-type: application\/json' \\\s+-d '(.+)'/.exec(out)!;
    const res = await fetch(curl[1], { method: 'POST', headers: { 'content-type': 'application/json' }, body: curl[2] });
    expect(res.status).toBe(200);
    const { prediction } = await bodyOf(res);
    expect(Object.keys(prediction.fields)).toEqual(expect.arrayContaining(['issue_type', 'sub_issue_type', 'priority', 'queue']));
    expect(prediction.fields.issue_type.value).toBe('Email');

    // The sub-issue type always sits under the predicted issue type.
    const fields = await engine.client.getFields('demo');
    const sub = fields.find((f) => f.name === 'sub_issue_type')!;
    expect(sub.parentField).toBe('issue_type');
    const chosen = sub.choices.find((c) => c.value === prediction.fields.sub_issue_type.value)!;
    expect(chosen.parent).toBe(prediction.fields.issue_type.value);

    // A second start finds the tenant and leaves it alone.
    await engine.stop();
    engine = await startEngine({ dataDir: engine.dataDir, args: ['--demo'], waitFor: /-d '\{.*\}'\n/ });
    expect(engine.output()).not.toMatch(/Creating the demo tenant/);
    expect((await engine.client.listTenants()).map((t) => t.id)).toEqual(['demo']);
  });
});
