import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAutotaskMock, type AutotaskMock } from '../../connectors/autotask/mock-server';
import { runCli, startEngine, type EngineProcess } from '../helpers/engine-process';

/** Connecting a tenant to a PSA and syncing it from the CLI, with secrets passed only through the environment. */
describe('triage connect / sync / triage-settings / live', () => {
  let engine: EngineProcess;
  let mock: AutotaskMock;
  beforeAll(async () => {
    mock = await startAutotaskMock({ tenant: { tickets: 300, seed: 2 } });
    engine = await startEngine();
    await engine.client.createTenant('cli-psa');
  });
  afterAll(async () => {
    await engine?.stop();
    await mock?.close();
  });

  it('refuses to connect without the secret in the environment, naming the variable', async () => {
    const r = await runCli(['connect', 'cli-psa', 'autotask', '--username', mock.credentials.username, '--url', engine.url], { AUTOTASK_SECRET: '', AUTOTASK_INTEGRATION_CODE: '' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/AUTOTASK_SECRET/);
  });

  it('connects, syncs with a progress bar, and shows the settings and live accuracy', async () => {
    const env = { AT_SECRET: mock.credentials.secret, AT_CODE: mock.credentials.integrationCode };
    const connect = await runCli(
      ['connect', 'cli-psa', 'autotask', '--username', mock.credentials.username, '--discovery-url', mock.url, '--secret-env', 'AT_SECRET', '--integration-code-env', 'AT_CODE', '--url', engine.url],
      env,
    );
    expect(connect.code, connect.stderr).toBe(0);
    expect(connect.stdout).toMatch(/Connected cli-psa to Autotask/);
    expect(connect.stdout + connect.stderr).not.toContain(mock.credentials.secret);

    const sync = await runCli(['sync', 'cli-psa', '--url', engine.url]);
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stderr).toMatch(/sync cli-psa \[/);
    expect(sync.stdout).toMatch(/Synced 300 tickets \(300 new/);

    const settings = await runCli(['triage-settings', 'cli-psa', '--mode', 'apply', '--threshold', 'issue_type=0.8', '--url', engine.url]);
    expect(settings.code, settings.stderr).toBe(0);
    expect(JSON.parse(settings.stdout)).toMatchObject({ mode: 'apply', thresholds: { issue_type: 0.8 } });

    const live = await runCli(['live', 'cli-psa', '--url', engine.url]);
    expect(live.stdout).toMatch(/No completed tickets have scored a triage prediction yet/);
  });
});
