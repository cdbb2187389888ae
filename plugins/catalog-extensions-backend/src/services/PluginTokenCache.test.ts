import { AuthService, BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { PluginTokenCache } from './PluginTokenCache';

const HOUR = 3_600_000;

/** An auth service that issues JWT-shaped tokens (exp in 1 h, or the user's expiry) and counts them. */
function countingAuth(clock: { now: number }) {
  const issued: Array<{ onBehalfOf: BackstageCredentials; targetPluginId: string }> = [];
  let failNext = false;
  const auth = {
    async getPluginRequestToken(options: { onBehalfOf: BackstageCredentials; targetPluginId: string }) {
      issued.push(options);
      if (failNext) {
        failNext = false;
        throw new Error('signing key unavailable');
      }
      const principal = options.onBehalfOf.principal as any;
      if (principal.accessRestrictions) throw new Error('restricted');
      const exp = Math.floor(Math.min(clock.now + HOUR, options.onBehalfOf.expiresAt?.getTime() ?? Infinity) / 1000);
      const payload = { sub: 'catalog-extensions', obo: principal.userEntityRef, n: issued.length, exp };
      return { token: `h.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.s` };
    },
  } as unknown as AuthService;
  return { auth, issued, failOnce: () => (failNext = true) };
}

const subjectOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).obo;
const user = (ref: string, expiresAt: number) => ({ ...mockCredentials.user(ref), expiresAt: new Date(expiresAt) });

describe('PluginTokenCache', () => {
  const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
  const now = () => clock.now;

  it('issues one token for all service callers and issues a new one shortly before it expires', async () => {
    const { auth, issued } = countingAuth(clock);
    const cache = new PluginTokenCache(auth, 'catalog', { now, renewBeforeMs: 60_000 });
    const first = await cache.token(mockCredentials.service('ci-bot'));
    expect(await cache.token(mockCredentials.service('other-service'))).toBe(first);
    expect(issued).toHaveLength(1);
    expect(issued[0].targetPluginId).toBe('catalog');
    clock.now += HOUR - 61_000;
    expect(await cache.token(mockCredentials.service('ci-bot'))).toBe(first);
    clock.now += 2_000;
    expect(await cache.token(mockCredentials.service('ci-bot'))).not.toBe(first);
    expect(issued).toHaveLength(2);
  });

  it('keeps each user\'s token to that user and that session, never past the user\'s own expiry', async () => {
    const { auth, issued } = countingAuth(clock);
    const cache = new PluginTokenCache(auth, 'catalog', { now, renewBeforeMs: 60_000 });
    const session = clock.now + 10 * 60_000;
    const alice = await cache.token(user('user:default/alice', session));
    const bob = await cache.token(user('user:default/bob', session));
    expect([subjectOf(alice), subjectOf(bob)]).toEqual(['user:default/alice', 'user:default/bob']);
    expect(await cache.token(user('user:default/alice', session))).toBe(alice);
    expect(await cache.token(user('user:default/alice', session + 1000))).not.toBe(alice);
    expect(issued).toHaveLength(3);
    // Alice's session ends in 10 minutes: her token is renewed before that, not after an hour.
    clock.now += 9 * 60_000 + 1000;
    expect(await cache.token(user('user:default/alice', session))).not.toBe(alice);
    expect(issued).toHaveLength(4);
  });

  it('never caches for a service token with access restrictions, nor a failed issuance', async () => {
    const { auth, issued, failOnce } = countingAuth(clock);
    const cache = new PluginTokenCache(auth, 'catalog', { now });
    const restricted = { ...mockCredentials.service('limited'), principal: { type: 'service', subject: 'limited', accessRestrictions: {} } } as any;
    await expect(cache.token(restricted)).rejects.toThrow('restricted');
    await expect(cache.token(restricted)).rejects.toThrow('restricted');
    failOnce();
    await expect(cache.token(mockCredentials.service())).rejects.toThrow('signing key unavailable');
    await expect(cache.token(mockCredentials.service())).resolves.toEqual(expect.any(String));
    expect(issued).toHaveLength(4);
  });

  it('issues once for concurrent first calls and keeps at most maxEntries callers', async () => {
    const { auth, issued } = countingAuth(clock);
    const cache = new PluginTokenCache(auth, 'catalog', { now, maxEntries: 2 });
    const session = clock.now + HOUR;
    const tokens = await Promise.all([1, 2, 3].map(() => cache.token(user('user:default/a', session))));
    expect(new Set(tokens).size).toBe(1);
    expect(issued).toHaveLength(1);
    await cache.token(user('user:default/b', session));
    await cache.token(user('user:default/c', session));
    await cache.token(user('user:default/a', session)); // evicted as the oldest: issued again
    expect(issued).toHaveLength(4);
  });
});
