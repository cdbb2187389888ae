import { AuthService, BackstageCredentials } from '@backstage/backend-plugin-api';

export interface PluginTokenCacheOptions {
  /** A token is issued again this long before it expires. */
  renewBeforeMs?: number;
  /** Most callers whose tokens are kept. */
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  token: Promise<string>;
  /** When to issue a new one (epoch ms); 0 while the token is being issued. */
  renewAt: number;
}

/** `exp` of a JWT in epoch ms; the token is our own auth service's, so it is not verified here. */
function expiresAtMs(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Tokens for calls to one target plugin, issued on behalf of the caller with
 * `auth.getPluginRequestToken` and reused until shortly before they expire, so that signing one
 * is not part of every request. The target still verifies each token and applies its
 * permissions to the principal inside it:
 * - a user's token carries the user (`obo`) and never outlives the user's own token; it is kept
 *   per user entity ref and expiry of the user's credentials (one sign-in session);
 * - for a service caller the auth service issues this plugin's own token, the same for every
 *   service, so one is kept for all of them. A service token with access restrictions is never
 *   cached: the auth service checks the restrictions on each issuance.
 */
export class PluginTokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly renewBeforeMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly auth: AuthService,
    private readonly targetPluginId: string,
    options: PluginTokenCacheOptions = {},
  ) {
    this.renewBeforeMs = options.renewBeforeMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  async token(credentials: BackstageCredentials): Promise<string> {
    const key = cacheKey(credentials);
    if (!key) return this.issue(credentials);
    const cached = this.entries.get(key);
    if (cached && (cached.renewAt === 0 || cached.renewAt > this.now())) return cached.token;

    const entry: Entry = { token: this.issue(credentials), renewAt: 0 };
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.evict();
    try {
      const token = await entry.token;
      const expiresAt = expiresAtMs(token);
      entry.renewAt = expiresAt === undefined ? 1 : expiresAt - this.renewBeforeMs;
      return token;
    } catch (error) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw error;
    }
  }

  private async issue(credentials: BackstageCredentials): Promise<string> {
    const { token } = await this.auth.getPluginRequestToken({ onBehalfOf: credentials, targetPluginId: this.targetPluginId });
    return token;
  }

  /** Drops the oldest entries over the cap (a Map iterates in insertion order). */
  private evict(): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) return;
      this.entries.delete(key);
    }
  }
}

function cacheKey(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as { type: string; userEntityRef?: string; accessRestrictions?: unknown };
  if (principal.type === 'service') return principal.accessRestrictions ? undefined : 'service';
  if (principal.type === 'user' && principal.userEntityRef && credentials.expiresAt) {
    return `user:${principal.userEntityRef}:${credentials.expiresAt.getTime()}`;
  }
  return undefined;
}
