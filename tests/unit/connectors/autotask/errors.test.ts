import { describe, expect, it } from 'vitest';
import { AutotaskError, permanentErrorFetch, scrub, wordError } from '../../../../connectors/autotask/errors';
import { HttpError } from '../../../../connectors/shared/http';

const ctx = { action: 'query tickets', username: 'api@msp.test', secrets: ['s3cr3t', 'CODE42'] };
const json = (status: number, body: unknown) => async () => new Response(JSON.stringify(body), { status });

describe('Autotask errors', () => {
  it('scrubs every occurrence of every secret', () => {
    expect(scrub('s3cr3t and s3cr3t with CODE42', ['s3cr3t', 'CODE42', ''])).toBe('*** and *** with ***');
  });

  it('words HTTP failures by what the user must fix', () => {
    const word = (status: number, errors: string[]) => wordError(new HttpError(status, { errors }, 'x'), ctx) as AutotaskError;
    expect(word(500, ['IntegrationCode is invalid.']).code).toBe('invalid-integration-code');
    expect(word(500, ['Zone information could not be determined']).code).toBe('unknown-user');
    expect(word(401, []).code).toBe('unauthorized');
    expect(word(500, ['The logged in Resource does not have the adequate permissions']).code).toBe('forbidden');
    expect(word(429, ['Thread Threshold Exceeded']).message).toContain('Thread Threshold Exceeded');
    expect(word(500, ['leaked s3cr3t']).message).not.toContain('s3cr3t');
    expect((wordError(new Error('connect ECONNREFUSED'), ctx) as AutotaskError).code).toBe('unreachable');
    const aborted = AbortSignal.abort();
    const reason = new Error('stop');
    expect(wordError(reason, ctx, aborted)).toBe(reason);
  });

  it('makes logical 500s permanent (no retry) and leaves transient ones retryable', async () => {
    await expect(permanentErrorFetch(json(500, { errors: ['IntegrationCode is invalid.'] }))('http://x/')).rejects.toBeInstanceOf(HttpError);
    await expect(permanentErrorFetch(json(500, { errors: ["Invalid query syntax. Queries are limited to 500 or fewer 'OR' conditions."] }))('http://x/')).rejects.toMatchObject({ status: 500 });
    const transient = await permanentErrorFetch(json(500, { errors: ['Thread threshold exceeded: this value is not valid'] }))('http://x/');
    expect(transient.status).toBe(500);
    expect(await transient.json()).toEqual({ errors: ['Thread threshold exceeded: this value is not valid'] });
    const unknown = await permanentErrorFetch(json(500, { errors: ['An unexpected error has occurred.'] }))('http://x/');
    expect(unknown.status).toBe(500);
  });
});
