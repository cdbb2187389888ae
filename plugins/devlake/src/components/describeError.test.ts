import { ResponseError } from '@backstage/errors';
import { describeDevLakeError, durationInWords } from './describeError';

const response = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('describeDevLakeError', () => {
  it('puts a 429’s Retry-After in words', async () => {
    const error = await ResponseError.fromResponse(response(429, { error: 'Too many requests' }, { 'Retry-After': '75' }));
    expect(describeDevLakeError(error)).toMatchObject({
      status: 429,
      retryAfterSeconds: 75,
      message: 'The DevLake API rate limit was reached. Try again in 1 minute 15 seconds.',
    });
  });

  it('reads an HTTP-date Retry-After', async () => {
    const at = new Date(Date.now() + 30_000).toUTCString();
    const error = await ResponseError.fromResponse(response(429, { error: 'x' }, { 'Retry-After': at }));
    const seconds = describeDevLakeError(error).retryAfterSeconds!;
    expect(seconds).toBeGreaterThanOrEqual(28);
    expect(seconds).toBeLessThanOrEqual(31);
  });

  it('keeps the backend’s {"error": "..."} message of a 503', async () => {
    const error = await ResponseError.fromResponse(response(503, { error: 'DevLake database is unavailable' }));
    expect(describeDevLakeError(error)).toMatchObject({ status: 503, title: 'DevLake is unavailable', message: 'DevLake database is unavailable' });
  });

  it('words durations', () => {
    expect(durationInWords(1)).toBe('1 second');
    expect(durationInWords(60)).toBe('1 minute');
    expect(durationInWords(125)).toBe('2 minutes 5 seconds');
  });
});
