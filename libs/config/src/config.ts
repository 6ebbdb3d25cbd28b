/**
 * @roadmap architecture.twelve-factor-config, security.secrets-management
 * Look at how every variable is parsed once at start-up, with one clear message per problem, and
 * how the defaults that only make sense on a laptop (embedded database, localhost CORS origins,
 * Swagger UI, a random JWT secret) never apply silently in production.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { isIP } from 'node:net';
import { z } from 'zod';

const PORT_RANGE = { message: 'must be a whole number from 0 to 65535' };
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const MIB = 1024 * 1024;
const HOUR_MS = 60 * 60 * 1000;
const LOCAL_CORS_ORIGINS = ['http://localhost:3000', 'http://localhost:4200', 'http://localhost:5173'];

/**
 * Database defaults, shared with code that builds a connection without a full configuration.
 * Why these values (README, "Configuration"): every query the API makes is an indexed OLTP query
 * that takes milliseconds, so a statement running 5 s is stuck, not slow; a lock wait is cut
 * sooner (2 s) so that it surfaces as a lock timeout rather than a statement timeout; a request
 * waits at most 5 s for a free connection; and Prisma rolls back an interactive transaction after
 * 5 s itself, so the server-side idle-in-transaction limit (10 s) is only a backstop.
 */
export const DATABASE_DEFAULTS = {
  poolSize: 10,
  poolTimeoutMs: 5_000,
  statementTimeoutMs: 5_000,
  lockTimeoutMs: 2_000,
  idleInTransactionTimeoutMs: 10_000,
} as const;

/** A whole number in [min, max], written as digits only (no `1e3`, no `0x10`, no `12.0`). */
function wholeNumber(min: number, max: number, unit: string, note = '') {
  const message = `must be a whole number${unit} from ${min} to ${max}${note}`;
  return z
    .string()
    .trim()
    .regex(/^\d+$/, message)
    .transform(Number)
    .refine((value) => value >= min && value <= max, message);
}

const milliseconds = (max: number, note = '') => wholeNumber(0, max, ' of milliseconds', note);
const bytes = () => wholeNumber(1024, 50 * MIB, ' of bytes');

/** `true`/`false` or `1`/`0` (case-insensitive): anything else is a typo worth stopping for. */
const boolean = z
  .string()
  .trim()
  .toLowerCase()
  .refine((value) => ['true', 'false', '1', '0'].includes(value), 'must be true or false (or 1 or 0)')
  .transform((value) => value === 'true' || value === '1');

/** `a, b,,c` → `['a', 'b', 'c']`: the entries of a comma-separated variable, blanks dropped. */
const commaSeparated = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

/** A comma-separated list of origins, e.g. `http://localhost:4200,https://app.example.com`. */
const originList = commaSeparated.pipe(
  z.array(
    z.string().refine((origin) => {
      try {
        return new URL(origin).origin === origin;
      } catch {
        return false;
      }
    }, 'each entry must be an origin like http://localhost:4200 (scheme, host, optional port, no path)'),
  ),
);

const redisUrl = z.string().refine((value) => /^rediss?:\/\/.+/.test(value) && URL.canParse(value), {
  message: 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379',
});

/** The names proxy-addr (Fastify's `trustProxy`) knows for whole address ranges. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** `TRUST_PROXY=127.0.0.1,10.0.0.0/8,loopback`: the proxies whose X-Forwarded-For we believe. */
const proxyList = commaSeparated.pipe(
  z.array(
    z.string().refine(
      (entry) => {
        if (PROXY_RANGE_NAMES.includes(entry)) return true;
        const [address, bits, ...rest] = entry.split('/');
        const version = isIP(address);
        if (version === 0 || rest.length > 0) return false;
        if (bits === undefined) return true;
        return /^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
      },
      `each entry must be an IP address, a CIDR range (10.0.0.0/8) or one of ${PROXY_RANGE_NAMES.join(', ')}`,
    ),
  ),
);

const urlWithScheme = (schemes: string[], example: string) =>
  z.string().refine((value) => URL.canParse(value) && schemes.includes(new URL(value).protocol.slice(0, -1)), {
    message: `must be a ${schemes.map((scheme) => `${scheme}://`).join(' or ')} URL, e.g. ${example}`,
  });

const postgresUrl = z.string().refine((value) => /^postgres(ql)?:\/\/.+/.test(value) && URL.canParse(value), {
  message: 'must be a postgres:// or postgresql:// URL, e.g. postgresql://postgres@127.0.0.1:5432/capstone',
});

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number(PORT_RANGE).int(PORT_RANGE).min(0, PORT_RANGE).max(65535, PORT_RANGE).default(3000),
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_REPLICA_URL: postgresUrl.optional(),
  DATABASE_POOL_SIZE: wholeNumber(1, 1000, '').default(DATABASE_DEFAULTS.poolSize),
  // 0 would make pg wait for a free connection forever: exactly the hang this setting prevents.
  DATABASE_POOL_TIMEOUT_MS: wholeNumber(1, 10 * 60_000, ' of milliseconds', ' (0 would wait forever)').default(
    DATABASE_DEFAULTS.poolTimeoutMs,
  ),
  // For these three, 0 is Postgres's own "no limit".
  DATABASE_STATEMENT_TIMEOUT_MS: milliseconds(HOUR_MS, ' (0: no limit)').default(DATABASE_DEFAULTS.statementTimeoutMs),
  DATABASE_LOCK_TIMEOUT_MS: milliseconds(HOUR_MS, ' (0: no limit)').default(DATABASE_DEFAULTS.lockTimeoutMs),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: milliseconds(HOUR_MS, ' (0: no limit)').default(
    DATABASE_DEFAULTS.idleInTransactionTimeoutMs,
  ),
  DATABASE_MIGRATE_ON_START: boolean.default(false),
  ALLOW_EMBEDDED_DATABASE: boolean.default(false),
  PGLITE_DATA_DIR: z.string().min(1).default('.data/pglite'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters (try: openssl rand -base64 48)').optional(),
  JWT_EXPIRES_IN: z
    .string()
    .regex(/^\d+[smhd]$/, 'must be a number followed by s, m, h or d, e.g. 15m or 1d')
    .default('1d'),
  // Opt-in sessions (POST /api/auth/sessions): a short-lived access JWT, refreshed with a rotating token.
  SESSION_ACCESS_TTL: z
    .string()
    .regex(/^\d+[smhd]$/, 'must be a number followed by s, m, h or d, e.g. 15m or 1h')
    .default('15m'),
  SESSION_TTL_DAYS: wholeNumber(1, 3650, ' of days').default(30),
  // Unset: the localhost origins outside production, none in production (see loadConfig).
  CORS_ORIGINS: originList.optional(),
  BODY_LIMIT_BYTES: bytes().default(16 * 1024),
  ARTICLE_BODY_LIMIT_BYTES: bytes().default(MIB),
  // Unset: on outside production, off in production (see loadConfig).
  OPENAPI_ENABLED: boolean.optional(),
  // Unset: on outside production, off in production (see loadConfig).
  GRAPHQL_IDE: boolean.optional(),
  GRAPHQL_INTROSPECTION: boolean.optional(),
  // Checked before any resolver runs; see docs/graphql.md for how each is counted.
  GRAPHQL_MAX_DEPTH: wholeNumber(2, 100, '').default(10),
  GRAPHQL_MAX_COMPLEXITY: wholeNumber(10, 1_000_000, '').default(5_000),
  GRAPHQL_MAX_ALIASES: wholeNumber(0, 1_000, '').default(30),
  GRAPHQL_MAX_BATCH: wholeNumber(1, 100, '').default(10),
  // Compile a query to JavaScript (graphql-jit) once it has run this many times; 0 never compiles.
  GRAPHQL_JIT_AFTER: wholeNumber(0, 1_000_000, ' of runs').default(10),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  // Unset: pretty (one readable line per entry) outside production, JSON lines in production.
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  // Unset: no shared cache or rate-limit store; both stay in this process's memory.
  REDIS_URL: redisUrl.optional(),
  // Every key this app writes starts with it, so several apps (or test runs) can share one server.
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1 to 64 letters, digits or _ . : -')
    .default('capstone:'),
  CACHE_ENABLED: boolean.default(true),
  CACHE_TTL_SECONDS: wholeNumber(1, 86_400, ' of seconds').default(300),
  CACHE_MEMORY_MAX_ENTRIES: wholeNumber(100, 10_000_000, '').default(10_000),
  RATE_LIMIT_ENABLED: boolean.default(true),
  RATE_LIMIT_WINDOW_SECONDS: wholeNumber(1, 86_400, ' of seconds').default(60),
  RATE_LIMIT_MAX: wholeNumber(1, 10_000_000, '').default(600),
  RATE_LIMIT_AUTH_WINDOW_SECONDS: wholeNumber(1, 86_400, ' of seconds').default(900),
  RATE_LIMIT_AUTH_MAX_PER_IP: wholeNumber(1, 10_000_000, '').default(100),
  RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: wholeNumber(1, 10_000, '').default(10),
  // Unset: X-Forwarded-For is ignored and the client address is the TCP peer.
  TRUST_PROXY: proxyList.optional(),
  // One core left to the event loop: measured, a login flood then barely slows other requests.
  PASSWORD_HASHING_CONCURRENCY: wholeNumber(1, 256, '').default(Math.max(1, Math.min(4, availableParallelism() - 1))),
  PASSWORD_HASHING_QUEUE: wholeNumber(0, 100_000, '').default(32),
  // Unset: no breached-password check. https://api.pwnedpasswords.com/range is Have I Been Pwned's.
  PASSWORD_BREACH_CHECK_URL: urlWithScheme(['http', 'https'], 'https://api.pwnedpasswords.com/range').optional(),
  PASSWORD_BREACH_CHECK_TIMEOUT_MS: wholeNumber(100, 60_000, ' of milliseconds').default(2_000),
  // Where the API's links point (emails): the address users reach the app at.
  PUBLIC_URL: urlWithScheme(['http', 'https'], 'https://conduit.example.com').default('http://localhost:3000'),
  // Registration emails a link to verify the address (an email change always does).
  SIGNUP_VERIFICATION_EMAIL: boolean.default(true),
  // Sign in with an OpenID Connect provider (found by discovery): all three or none.
  OIDC_ISSUER: urlWithScheme(['http', 'https'], 'https://accounts.example.com').optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  // The provider's key in URLs: /api/auth/oauth/<OIDC_NAME>/login.
  OIDC_NAME: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'must be 1 to 32 lower-case letters, digits or -')
    .refine((name) => name !== 'github', 'must not be "github" (that key is the GitHub sign-in\'s)')
    .default('oidc'),
  // Sign in with GitHub (OAuth 2.0): both or none. The three URLs are for tests only.
  GITHUB_CLIENT_ID: z.string().min(1).optional(),
  GITHUB_CLIENT_SECRET: z.string().min(1).optional(),
  GITHUB_AUTHORIZE_URL: urlWithScheme(['http', 'https'], 'https://github.com/login/oauth/authorize').optional(),
  GITHUB_TOKEN_URL: urlWithScheme(['http', 'https'], 'https://github.com/login/oauth/access_token').optional(),
  GITHUB_API_URL: urlWithScheme(['http', 'https'], 'https://api.github.com').optional(),
  SEARCH_ENGINE: z.enum(['postgres', 'sphinx', 'elasticsearch']).default('postgres'),
  SPHINX_URL: urlWithScheme(['mysql'], 'mysql://127.0.0.1:9306').optional(),
  ELASTICSEARCH_NODE: urlWithScheme(['http', 'https'], 'http://127.0.0.1:9200').optional(),
  ELASTICSEARCH_INDEX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,99}$/, 'must be a lower-case Elasticsearch index name')
    .default('capstone-articles'),
  // Unset: emails are written to the log instead of sent (said at start-up).
  SMTP_URL: urlWithScheme(['smtp', 'smtps'], 'smtp://user:password@127.0.0.1:1025').optional(),
  MAIL_FROM: z.string().min(3).default('Conduit <no-reply@conduit.localhost>'),
  // Both or neither: the queue dashboard is off without them.
  ADMIN_USER: z
    .string()
    .regex(/^[^:]{1,64}$/, 'must be 1 to 64 characters, no colon')
    .optional(),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').max(256).optional(),
  // Both or neither: HTTP Basic credentials of /metrics (and of the worker's metrics port).
  // Unset: a fixed local pair outside production, metrics off in production (see loadConfig).
  METRICS_USERNAME: z
    .string()
    .regex(/^[^:]{1,64}$/, 'must be 1 to 64 characters, no colon')
    .optional(),
  METRICS_PASSWORD: z.string().min(12, 'must be at least 12 characters').max(256).optional(),
  // Unset: the worker serves no metrics. Set: GET /metrics on this port of WORKER_METRICS_HOST.
  WORKER_METRICS_PORT: wholeNumber(0, 65535, '').optional(),
  WORKER_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  WORKER_CONCURRENCY: wholeNumber(1, 100, '').default(5),
  JOB_ATTEMPTS: wholeNumber(1, 100, '').default(8),
  JOB_BACKOFF_MS: wholeNumber(10, 3_600_000, ' of milliseconds').default(1_000),
  OUTBOX_POLL_INTERVAL_MS: wholeNumber(10, 60_000, ' of milliseconds').default(500),
  OUTBOX_RETENTION_DAYS: wholeNumber(1, 3650, ' of days').default(7),
  WORKER_SHUTDOWN_TIMEOUT_MS: wholeNumber(100, 600_000, ' of milliseconds').default(10_000),
  // A worker that dies mid-job holds it this long; then another worker (or it, restarted) takes it again.
  JOB_LOCK_DURATION_MS: wholeNumber(500, 600_000, ' of milliseconds').default(30_000),
  // auto: a worker process when Redis and a database server are configured, else inside the API.
  JOBS_MODE: z.enum(['auto', 'worker', 'in-process']).default('auto'),
  // Cron (minute hour day month weekday), in UTC: Mondays at 08:00 by default.
  DIGEST_CRON: z
    .string()
    .regex(/^(\S+\s+){4}\S+$/, 'must be a 5-field cron expression, e.g. "0 8 * * 1"')
    .default('0 8 * * 1'),
});

type Env = z.output<typeof envSchema>;

export interface DatabaseConfig {
  /** A real Postgres server. Unset means: start the embedded Postgres (PGlite) in `pgliteDataDir`. */
  url?: string;
  /**
   * A streaming read replica of `url`. Set: lag-tolerant listings read from it, within the rules
   * of apps/api/src/database/replica-reads.ts (read-your-writes, fallback to the primary).
   */
  replicaUrl?: string;
  pgliteDataDir: string;
  /** Connections in the pool of each API process. */
  poolSize: number;
  /** How long a query waits for a free pooled connection (or for a new one to connect) before it fails. */
  poolTimeoutMs: number;
  /** Postgres `statement_timeout` on every pooled connection; 0 means no limit. */
  statementTimeoutMs: number;
  /** Postgres `lock_timeout` on every pooled connection; 0 means no limit. */
  lockTimeoutMs: number;
  /** Postgres `idle_in_transaction_session_timeout` on every pooled connection; 0 means no limit. */
  idleInTransactionTimeoutMs: number;
  /** Development: apply pending migrations at start-up instead of refusing to start. */
  migrateOnStart: boolean;
  /** NODE_ENV=production without DATABASE_URL was asked for explicitly (ALLOW_EMBEDDED_DATABASE). */
  embeddedInProduction: boolean;
}

export interface CacheConfig {
  /** Off: every read goes to the database (the benchmark's "uncached" runs). */
  enabled: boolean;
  /** How long an entry lives at most; each entry gets up to 10% less, so entries do not expire together. */
  ttlSeconds: number;
  /** Entries kept by the in-memory store (used when REDIS_URL is unset). */
  memoryMaxEntries: number;
}

export interface RateLimitConfig {
  enabled: boolean;
  /** Every client (by IP address) may make `max` requests per `windowSeconds`. */
  windowSeconds: number;
  max: number;
  /** Login and registration attempts per IP address per `authWindowSeconds`. */
  authWindowSeconds: number;
  authMaxPerIp: number;
  /** Failed logins per account (email) per `authWindowSeconds`, after which its logins are refused. */
  loginFailuresPerAccount: number;
}

export interface SearchConfig {
  /** postgres: full-text search in the database itself; sphinx and elasticsearch: external servers fed by the worker. */
  engine: 'postgres' | 'sphinx' | 'elasticsearch';
  sphinxUrl?: string;
  elasticsearchNode?: string;
  elasticsearchIndex: string;
}

export interface MailConfig {
  /** Unset: messages are written to the log instead of sent. */
  smtpUrl?: string;
  from: string;
}

export interface GraphqlConfig {
  /** Serve the GraphiQL IDE at /graphiql (assets from the app, never a CDN). */
  ide: boolean;
  /** Answer introspection queries (`__schema`, `__type`). */
  introspection: boolean;
  /** Deepest nesting of fields in one operation. */
  maxDepth: number;
  /** Largest estimated cost of one operation: each field costs 1, list fields times their page size. */
  maxComplexity: number;
  /** Most aliased fields in one operation (aliases multiply work without nesting). */
  maxAliases: number;
  /** Most operations in one batched request (a JSON array). */
  maxBatch: number;
  /** Runs of the same query text after which it is compiled to JavaScript (graphql-jit); 0: never. */
  jitAfter: number;
}

export interface JobsConfig {
  /** Jobs a worker runs at once per queue. */
  concurrency: number;
  /** Attempts per job before it is kept as failed (the dead-letter view). */
  attempts: number;
  /** First retry delay; each next one doubles, with jitter. */
  backoffMs: number;
  /** How often the outbox relay looks for rows when no notification woke it. */
  outboxPollIntervalMs: number;
  /** Sent outbox rows older than this are purged. */
  outboxRetentionDays: number;
  /** How long a stopping worker waits for its active jobs. */
  shutdownTimeoutMs: number;
  /** How long a job stays locked to a worker that stopped answering (stall detection). */
  lockDurationMs: number;
  /**
   * Where the outbox is relayed and jobs run: a separate worker process (Redis and a database
   * server needed), or the API process itself (the embedded quick start).
   */
  mode: 'worker' | 'in-process';
  digestCron: string;
}

export interface PasswordPolicyConfig {
  /** A k-anonymity range API (GET <url>/<5 hex digits of SHA-1>); undefined: no breach check. */
  breachCheckUrl?: string;
  /** Past this, the check is skipped (and logged) rather than failing the request. */
  breachCheckTimeoutMs: number;
}

export interface SessionsConfig {
  /** Lifetime of a session's access JWT, e.g. `15m` (same format as JWT_EXPIRES_IN). */
  accessTtl: string;
  /** A session (and so its refresh tokens) ends this many days after sign-in, however often it is refreshed. */
  ttlDays: number;
}

/** An OpenID Connect provider: its endpoints and keys are discovered from `issuer`. */
export interface OidcProviderConfig {
  /** The key in URLs (`/api/auth/oauth/<name>/login`) and in external_identities.provider. */
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** GitHub's OAuth 2.0 app; the URLs are github.com's unless a test points them elsewhere. */
export interface GithubOAuthConfig {
  clientId: string;
  clientSecret: string;
  authorizeUrl: string;
  tokenUrl: string;
  apiUrl: string;
}

export interface OAuthConfig {
  /** Undefined: no OpenID Connect sign-in (its routes answer 404). */
  oidc?: OidcProviderConfig;
  /** Undefined: no GitHub sign-in (its routes answer 404). */
  github?: GithubOAuthConfig;
}

export interface PasswordHashingConfig {
  /** argon2 hashes or verifications running at once; each takes ~19 MiB and a core for tens of ms. */
  concurrency: number;
  /** Requests waiting for a hashing slot; beyond that they are refused with 503 and Retry-After. */
  queue: number;
}

/**
 * The validated configuration. A class, so Nest can inject it by type:
 * `constructor(private readonly config: AppConfig) {}`.
 */
export class AppConfig {
  readonly nodeEnv!: 'development' | 'test' | 'production';
  readonly host!: string;
  readonly port!: number;
  readonly database!: DatabaseConfig;
  /** Same as `database.url`. */
  readonly databaseUrl?: string;
  /** Same as `database.pgliteDataDir`. */
  readonly pgliteDataDir!: string;
  readonly jwt!: { secret: string; expiresIn: string; secretIsEphemeral: boolean };
  readonly sessions!: SessionsConfig;
  readonly corsOrigins!: string[];
  /** The largest request body on most routes. */
  readonly bodyLimitBytes!: number;
  /** The largest request body when creating or updating an article (at least `bodyLimitBytes`). */
  readonly articleBodyLimitBytes!: number;
  /** Serve the OpenAPI document and Swagger UI. */
  readonly openApiEnabled!: boolean;
  readonly graphql!: GraphqlConfig;
  readonly logLevel!: (typeof LOG_LEVELS)[number];
  /** `json`: one JSON object per line (production, log shippers); `pretty`: for a terminal. */
  readonly logFormat!: 'json' | 'pretty';
  /** A Redis server shared by every API instance (cache, rate limits). Unset: in-process stores. */
  readonly redisUrl?: string;
  /** Starts every Redis key the app writes. */
  readonly redisKeyPrefix!: string;
  readonly cache!: CacheConfig;
  readonly rateLimit!: RateLimitConfig;
  /** Proxies (addresses, CIDR ranges, `loopback`...) whose X-Forwarded-For is believed; empty: none. */
  readonly trustProxy!: string[];
  readonly passwordHashing!: PasswordHashingConfig;
  readonly passwordPolicy!: PasswordPolicyConfig;
  /** The address users reach the app at, for links in emails. */
  readonly publicUrl!: string;
  /** Whether registration sends a verification email (SIGNUP_VERIFICATION_EMAIL). */
  readonly signupVerificationEmail!: boolean;
  /** Sign-in through other providers; redirect URIs are `${publicUrl}/api/auth/oauth/<provider>/callback`. */
  readonly oauth!: OAuthConfig;
  readonly search!: SearchConfig;
  readonly mail!: MailConfig;
  /** HTTP Basic credentials of the operations pages (queue dashboard); undefined: those pages are off. */
  readonly admin?: { user: string; password: string };
  readonly metrics!: MetricsConfig;
  readonly jobs!: JobsConfig;
}

/** Outside production, with METRICS_USERNAME and METRICS_PASSWORD unset: known to anyone who reads this. */
export const LOCAL_METRICS_CREDENTIALS = { user: 'metrics', password: 'metrics-local-only' } as const;

export interface MetricsConfig {
  /** HTTP Basic credentials of the Prometheus endpoints; undefined (production, none set): metrics are off. */
  credentials?: { user: string; password: string };
  /** The credentials are LOCAL_METRICS_CREDENTIALS (none were set, outside production). */
  localDefault: boolean;
  /** The worker's metrics listener; undefined: the worker serves none. */
  worker?: { host: string; port: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses and validates the environment. Throws a ConfigError listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // An empty variable (`PORT=`) counts as unset, so `.env.example` can be copied as it is.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(present);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '(environment)');
        const received = name in present ? ` (got "${redact(name, present[name])}")` : '';
        return `${name}: ${issue.message}${received}`;
      });
  problems.push(...crossFieldProblems(present));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const vars = parsed.data;
  const production = vars.NODE_ENV === 'production';
  const database: DatabaseConfig = {
    url: vars.DATABASE_URL,
    replicaUrl: vars.DATABASE_REPLICA_URL,
    pgliteDataDir: vars.PGLITE_DATA_DIR,
    poolSize: vars.DATABASE_POOL_SIZE,
    poolTimeoutMs: vars.DATABASE_POOL_TIMEOUT_MS,
    statementTimeoutMs: vars.DATABASE_STATEMENT_TIMEOUT_MS,
    lockTimeoutMs: vars.DATABASE_LOCK_TIMEOUT_MS,
    idleInTransactionTimeoutMs: vars.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    migrateOnStart: vars.DATABASE_MIGRATE_ON_START,
    embeddedInProduction: production && !vars.DATABASE_URL,
  };
  return Object.assign(new AppConfig(), {
    nodeEnv: vars.NODE_ENV,
    host: vars.HOST,
    port: vars.PORT,
    database,
    databaseUrl: database.url,
    pgliteDataDir: database.pgliteDataDir,
    jwt: {
      // Outside production a missing secret is replaced by a random one for this process only:
      // local development works with no file edited, and no secret is ever committed.
      secret: vars.JWT_SECRET ?? randomBytes(48).toString('base64'),
      expiresIn: vars.JWT_EXPIRES_IN,
      secretIsEphemeral: !vars.JWT_SECRET,
    },
    sessions: { accessTtl: vars.SESSION_ACCESS_TTL, ttlDays: vars.SESSION_TTL_DAYS },
    // A production deployment names its own front-end origins; localhost ones would let any page
    // served from a visitor's own machine call the API with their credentials.
    corsOrigins: vars.CORS_ORIGINS ?? (production ? [] : LOCAL_CORS_ORIGINS),
    bodyLimitBytes: vars.BODY_LIMIT_BYTES,
    articleBodyLimitBytes: vars.ARTICLE_BODY_LIMIT_BYTES,
    // The document maps every route and its validation rules: useful while developing, an
    // unnecessary map for an attacker in production unless someone decides to publish it.
    openApiEnabled: vars.OPENAPI_ENABLED ?? !production,
    // Like the OpenAPI document: a map of the API is for developers, not for production visitors.
    graphql: {
      ide: vars.GRAPHQL_IDE ?? !production,
      introspection: vars.GRAPHQL_INTROSPECTION ?? !production,
      maxDepth: vars.GRAPHQL_MAX_DEPTH,
      maxComplexity: vars.GRAPHQL_MAX_COMPLEXITY,
      maxAliases: vars.GRAPHQL_MAX_ALIASES,
      maxBatch: vars.GRAPHQL_MAX_BATCH,
      jitAfter: vars.GRAPHQL_JIT_AFTER,
    },
    logLevel: vars.LOG_LEVEL,
    logFormat: vars.LOG_FORMAT ?? (production ? 'json' : 'pretty'),
    redisUrl: vars.REDIS_URL,
    redisKeyPrefix: vars.REDIS_KEY_PREFIX,
    cache: {
      enabled: vars.CACHE_ENABLED,
      ttlSeconds: vars.CACHE_TTL_SECONDS,
      memoryMaxEntries: vars.CACHE_MEMORY_MAX_ENTRIES,
    },
    rateLimit: {
      enabled: vars.RATE_LIMIT_ENABLED,
      windowSeconds: vars.RATE_LIMIT_WINDOW_SECONDS,
      max: vars.RATE_LIMIT_MAX,
      authWindowSeconds: vars.RATE_LIMIT_AUTH_WINDOW_SECONDS,
      authMaxPerIp: vars.RATE_LIMIT_AUTH_MAX_PER_IP,
      loginFailuresPerAccount: vars.RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT,
    },
    trustProxy: vars.TRUST_PROXY ?? [],
    passwordHashing: { concurrency: vars.PASSWORD_HASHING_CONCURRENCY, queue: vars.PASSWORD_HASHING_QUEUE },
    passwordPolicy: {
      breachCheckUrl: vars.PASSWORD_BREACH_CHECK_URL?.replace(/\/+$/, ''),
      breachCheckTimeoutMs: vars.PASSWORD_BREACH_CHECK_TIMEOUT_MS,
    },
    publicUrl: vars.PUBLIC_URL.replace(/\/+$/, ''),
    signupVerificationEmail: vars.SIGNUP_VERIFICATION_EMAIL,
    oauth: {
      oidc:
        vars.OIDC_ISSUER && vars.OIDC_CLIENT_ID && vars.OIDC_CLIENT_SECRET
          ? {
              name: vars.OIDC_NAME,
              issuer: vars.OIDC_ISSUER,
              clientId: vars.OIDC_CLIENT_ID,
              clientSecret: vars.OIDC_CLIENT_SECRET,
            }
          : undefined,
      github:
        vars.GITHUB_CLIENT_ID && vars.GITHUB_CLIENT_SECRET
          ? {
              clientId: vars.GITHUB_CLIENT_ID,
              clientSecret: vars.GITHUB_CLIENT_SECRET,
              authorizeUrl: vars.GITHUB_AUTHORIZE_URL ?? 'https://github.com/login/oauth/authorize',
              tokenUrl: vars.GITHUB_TOKEN_URL ?? 'https://github.com/login/oauth/access_token',
              apiUrl: (vars.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, ''),
            }
          : undefined,
    },
    search: {
      engine: vars.SEARCH_ENGINE,
      sphinxUrl: vars.SPHINX_URL,
      elasticsearchNode: vars.ELASTICSEARCH_NODE,
      elasticsearchIndex: vars.ELASTICSEARCH_INDEX,
    },
    mail: { smtpUrl: vars.SMTP_URL, from: vars.MAIL_FROM },
    admin:
      vars.ADMIN_USER && vars.ADMIN_PASSWORD ? { user: vars.ADMIN_USER, password: vars.ADMIN_PASSWORD } : undefined,
    metrics: metricsConfig(vars, production),
    jobs: {
      concurrency: vars.WORKER_CONCURRENCY,
      attempts: vars.JOB_ATTEMPTS,
      backoffMs: vars.JOB_BACKOFF_MS,
      outboxPollIntervalMs: vars.OUTBOX_POLL_INTERVAL_MS,
      outboxRetentionDays: vars.OUTBOX_RETENTION_DAYS,
      shutdownTimeoutMs: vars.WORKER_SHUTDOWN_TIMEOUT_MS,
      lockDurationMs: vars.JOB_LOCK_DURATION_MS,
      mode:
        vars.JOBS_MODE === 'auto' ? (vars.REDIS_URL && vars.DATABASE_URL ? 'worker' : 'in-process') : vars.JOBS_MODE,
      digestCron: vars.DIGEST_CRON,
    },
  });
}

function metricsConfig(vars: Env, production: boolean): MetricsConfig {
  const given =
    vars.METRICS_USERNAME && vars.METRICS_PASSWORD
      ? { user: vars.METRICS_USERNAME, password: vars.METRICS_PASSWORD }
      : undefined;
  const credentials = given ?? (production ? undefined : { ...LOCAL_METRICS_CREDENTIALS });
  return {
    credentials,
    localDefault: !given && credentials !== undefined,
    worker:
      vars.WORKER_METRICS_PORT === undefined
        ? undefined
        : { host: vars.WORKER_METRICS_HOST, port: vars.WORKER_METRICS_PORT },
  };
}

/**
 * Rules that involve more than one variable. Each variable is parsed on its own here, so these
 * problems are reported together with any malformed variable, and never twice.
 */
function crossFieldProblems(present: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const value = <K extends keyof Env>(name: K): Env[K] | undefined => {
    const result = envSchema.shape[name].safeParse(present[name]);
    return result.success ? (result.data as Env[K]) : undefined;
  };
  if (value('NODE_ENV') === 'production') {
    if (!present.JWT_SECRET) {
      problems.push('JWT_SECRET: is required when NODE_ENV=production (at least 32 characters)');
    }
    // Without DATABASE_URL the API would quietly keep production data in a local PGlite directory.
    if (!present.DATABASE_URL && value('ALLOW_EMBEDDED_DATABASE') === false) {
      problems.push(
        'DATABASE_URL: is required when NODE_ENV=production (a postgresql:// URL); to run the embedded ' +
          'PGlite database in production anyway, set ALLOW_EMBEDDED_DATABASE=true',
      );
    }
  }
  const engine = value('SEARCH_ENGINE');
  if (engine === 'sphinx' && !present.SPHINX_URL) {
    problems.push('SPHINX_URL: is required when SEARCH_ENGINE=sphinx (e.g. mysql://127.0.0.1:9306)');
  }
  if (engine === 'elasticsearch' && !present.ELASTICSEARCH_NODE) {
    problems.push('ELASTICSEARCH_NODE: is required when SEARCH_ENGINE=elasticsearch (e.g. http://127.0.0.1:9200)');
  }
  if (Boolean(present.ADMIN_USER) !== Boolean(present.ADMIN_PASSWORD)) {
    const missing = present.ADMIN_USER ? 'ADMIN_PASSWORD' : 'ADMIN_USER';
    problems.push(
      `${missing}: is required with ${missing === 'ADMIN_USER' ? 'ADMIN_PASSWORD' : 'ADMIN_USER'} (both or neither)`,
    );
  }
  if (Boolean(present.METRICS_USERNAME) !== Boolean(present.METRICS_PASSWORD)) {
    const missing = present.METRICS_USERNAME ? 'METRICS_PASSWORD' : 'METRICS_USERNAME';
    problems.push(
      `${missing}: is required with ${missing === 'METRICS_USERNAME' ? 'METRICS_PASSWORD' : 'METRICS_USERNAME'} (both or neither)`,
    );
  }
  // The worker's port has no other protection than these; production never gets the local pair.
  if (value('NODE_ENV') === 'production' && present.WORKER_METRICS_PORT && !present.METRICS_PASSWORD) {
    problems.push('WORKER_METRICS_PORT: needs METRICS_USERNAME and METRICS_PASSWORD when NODE_ENV=production');
  }
  problems.push(...oauthProblems(present, value('NODE_ENV') === 'production'));
  // A replica of the embedded database does not exist: the setting would be silently ignored.
  if (value('DATABASE_REPLICA_URL') !== undefined && !present.DATABASE_URL) {
    problems.push('DATABASE_REPLICA_URL: needs DATABASE_URL (the primary the replica streams from)');
  }
  if (value('JOBS_MODE') === 'worker' && (!present.REDIS_URL || !present.DATABASE_URL)) {
    problems.push('JOBS_MODE: worker needs REDIS_URL and DATABASE_URL (a worker process shares both with the API)');
  }
  const bodyLimit = value('BODY_LIMIT_BYTES');
  const articleBodyLimit = value('ARTICLE_BODY_LIMIT_BYTES');
  if (bodyLimit !== undefined && articleBodyLimit !== undefined && articleBodyLimit < bodyLimit) {
    problems.push(
      `ARTICLE_BODY_LIMIT_BYTES: must be at least BODY_LIMIT_BYTES (${bodyLimit}) (got "${articleBodyLimit}")`,
    );
  }
  return problems;
}

/** OIDC_* all three or none, GITHUB_CLIENT_* both or none; in production, https and github.com only. */
function oauthProblems(present: Record<string, string | undefined>, production: boolean): string[] {
  const problems: string[] = [];
  const groups = [
    ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'],
    ['GITHUB_CLIENT_ID', 'GITHUB_CLIENT_SECRET'],
  ];
  for (const group of groups) {
    const missing = group.filter((name) => !present[name]);
    if (missing.length > 0 && missing.length < group.length) {
      problems.push(
        ...missing.map(
          (name) =>
            `${name}: is required with ${group.filter((other) => other !== name).join(' and ')} (all of them or none)`,
        ),
      );
    }
  }
  if (production) {
    // The ID token's keys and the tokens themselves would travel in the clear.
    if (present.OIDC_ISSUER?.startsWith('http://')) {
      problems.push('OIDC_ISSUER: must be an https:// URL when NODE_ENV=production');
    }
    for (const name of ['GITHUB_AUTHORIZE_URL', 'GITHUB_TOKEN_URL', 'GITHUB_API_URL']) {
      if (present[name])
        problems.push(`${name}: is for tests only; unset it when NODE_ENV=production (github.com is used)`);
    }
  }
  return problems;
}

function redact(name: string, value: string | undefined): string {
  if (value === undefined) return '';
  if (/SECRET|PASSWORD/.test(name)) return '***';
  if (
    ['DATABASE_URL', 'DATABASE_REPLICA_URL', 'REDIS_URL', 'SMTP_URL', 'SPHINX_URL', 'ELASTICSEARCH_NODE'].includes(name)
  ) {
    if (URL.canParse(value)) {
      const url = new URL(value);
      if (url.password) {
        url.password = '***';
        return url.toString();
      }
    }
    // Not a URL: whatever sits between "//" and the last "@" may be credentials.
    return value.replace(/\/\/[^/]*@/, '//***@');
  }
  return value;
}
