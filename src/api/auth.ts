/**
 * Authentication of API requests: off unless configured. When on, every request must
 * carry either HTTP Basic credentials of a configured user (RFC 7617) or a configured
 * bearer token (RFC 6750); otherwise it is answered 401 with a `WWW-Authenticate`
 * challenge and no data.
 *
 * Passwords are never stored: users are configured with `scrypt:<salt>:<hash>` strings
 * made by {@link hashPassword} (node:crypto scrypt, N=16384, r=8, p=1, 32-byte key,
 * 16-byte random salt, both base64). Tokens and hashes are compared in constant time.
 * A verified Basic credential is remembered (by its SHA-256) for 5 minutes so that
 * polling workers do not pay scrypt on every request.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { ProcosError } from '../common/errors.js';
import { ApiErrors } from './errors.js';

/** Authentication settings. Absent = authentication off. */
export interface AuthOptions {
  /** HTTP Basic users: user name → password hash made by {@link hashPassword} (`scrypt:<salt>:<hash>`). */
  readonly users?: Readonly<Record<string, string>>;
  /** Accepted bearer tokens (`Authorization: Bearer <token>`). */
  readonly tokens?: readonly string[];
  /** Realm named in `WWW-Authenticate`. @default 'ProcOS' */
  readonly realm?: string;
}

const SCRYPT = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const KEY_BYTES = 32;
const HASH_FORMAT = /^scrypt:([A-Za-z0-9+/]+={0,2}):([A-Za-z0-9+/]+={0,2})$/;
const CACHE_TTL_MS = 5 * 60_000;
const CACHE_MAX = 1000;

function scryptKey(password: string, salt: Buffer, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, SCRYPT, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/**
 * Hashes a password for {@link AuthOptions.users}.
 * @returns `scrypt:<salt base64>:<hash base64>`
 * @example
 * ```ts
 * const auth = { users: { worker: await hashPassword('s3cret') } };
 * ```
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptKey(password, salt, KEY_BYTES);
  return `scrypt:${salt.toString('base64')}:${key.toString('base64')}`;
}

/** True when `password` matches a {@link hashPassword} string (constant-time compare). False for a malformed hash. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const m = HASH_FORMAT.exec(hash);
  if (m === null) return false;
  const expected = Buffer.from(m[2]!, 'base64');
  const key = await scryptKey(password, Buffer.from(m[1]!, 'base64'), expected.length);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** Checks credentials of requests against compiled {@link AuthOptions}. */
export class Authenticator {
  private readonly users: ReadonlyMap<string, string>;
  private readonly tokenDigests: readonly Buffer[];
  private readonly verified = new Map<string, number>();
  private readonly dummyHash: Promise<string>;
  /** `WWW-Authenticate` values for a 401. */
  readonly challenges: readonly string[];

  private constructor(users: ReadonlyMap<string, string>, tokens: readonly string[], realm: string) {
    this.users = users;
    this.tokenDigests = tokens.map(sha256);
    const r = realm.replace(/["\\]/g, '');
    this.challenges = [...(users.size > 0 ? [`Basic realm="${r}", charset="UTF-8"`] : []), ...(tokens.length > 0 ? [`Bearer realm="${r}"`] : [])];
    this.dummyHash = hashPassword(randomBytes(12).toString('base64'));
    this.dummyHash.catch(() => undefined);
  }

  /**
   * Validates options once, at the edge.
   * @returns null when authentication is off (`options` undefined).
   * @throws PROCOS_API_OPTIONS_INVALID naming the bad option (no users and no tokens, a
   *   malformed password hash, an empty token).
   */
  static compile(options: AuthOptions | undefined): Authenticator | null {
    if (options === undefined) return null;
    const users = new Map<string, string>();
    for (const [name, hash] of Object.entries(options.users ?? {})) {
      if (name === '' || name.includes(':')) throw new ProcosError(ApiErrors.OPTIONS_INVALID, `auth.users: "${name}" is not a valid user name (non-empty, no ':')`, { option: 'auth.users' });
      if (typeof hash !== 'string' || !HASH_FORMAT.test(hash)) {
        throw new ProcosError(ApiErrors.OPTIONS_INVALID, `auth.users.${name}: expected a hash made by hashPassword() ("scrypt:<salt>:<hash>"), never a plain password`, { option: `auth.users.${name}` });
      }
      users.set(name, hash);
    }
    const tokens = [...(options.tokens ?? [])];
    tokens.forEach((t, i) => {
      if (typeof t !== 'string' || t === '') throw new ProcosError(ApiErrors.OPTIONS_INVALID, `auth.tokens[${i}] must be a non-empty string`, { option: `auth.tokens[${i}]` });
    });
    if (users.size === 0 && tokens.length === 0) {
      throw new ProcosError(ApiErrors.OPTIONS_INVALID, 'auth is configured but has no users and no tokens: every request would be refused (leave auth out to turn it off)', { option: 'auth' });
    }
    return new Authenticator(users, tokens, options.realm ?? 'ProcOS');
  }

  /** The authenticated principal (user name, or `token`) of an `Authorization` header, or null. */
  async authenticate(header: string | undefined): Promise<string | null> {
    if (header === undefined) return null;
    const space = header.indexOf(' ');
    if (space < 0) return null;
    const scheme = header.slice(0, space).toLowerCase();
    const credentials = header.slice(space + 1).trim();
    if (scheme === 'bearer') return this.bearer(credentials) ? 'token' : null;
    if (scheme === 'basic') return this.basic(credentials);
    return null;
  }

  private bearer(token: string): boolean {
    if (this.tokenDigests.length === 0) return false;
    const d = sha256(token);
    let ok = false;
    for (const t of this.tokenDigests) ok = timingSafeEqual(d, t) || ok; // no early exit
    return ok;
  }

  private async basic(credentials: string): Promise<string | null> {
    if (this.users.size === 0) return null;
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return null;
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const cacheKey = sha256(credentials).toString('base64');
    const until = this.verified.get(cacheKey);
    if (until !== undefined && until > Date.now() && this.users.has(user)) return user;
    const hash = this.users.get(user);
    // Unknown users cost the same scrypt as known ones (no user enumeration by timing).
    const ok = await verifyPassword(password, hash ?? (await this.dummyHash));
    if (!ok || hash === undefined) return null;
    if (this.verified.size >= CACHE_MAX) this.verified.clear();
    this.verified.set(cacheKey, Date.now() + CACHE_TTL_MS);
    return user;
  }
}
