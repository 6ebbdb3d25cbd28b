/**
 * @roadmap architecture.twelve-factor-config, security.secrets-management
 * Look at how every variable is parsed once at start-up, with one clear message per problem.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

const PORT_RANGE = { message: 'must be a whole number from 0 to 65535' };
const BODY_RANGE = { message: 'must be a whole number of bytes from 1024 to 52428800' };
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A comma-separated list of origins, e.g. `http://localhost:4200,https://app.example.com`. */
const originList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  )
  .pipe(
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

const postgresUrl = z.string().refine((value) => /^postgres(ql)?:\/\/.+/.test(value) && URL.canParse(value), {
  message: 'must be a postgres:// or postgresql:// URL, e.g. postgresql://postgres@127.0.0.1:5432/capstone',
});

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number(PORT_RANGE).int(PORT_RANGE).min(0, PORT_RANGE).max(65535, PORT_RANGE).default(3000),
  DATABASE_URL: postgresUrl.optional(),
  PGLITE_DATA_DIR: z.string().min(1).default('.data/pglite'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters (try: openssl rand -base64 48)').optional(),
  JWT_EXPIRES_IN: z
    .string()
    .regex(/^\d+[smhd]$/, 'must be a number followed by s, m, h or d, e.g. 15m or 1d')
    .default('1d'),
  CORS_ORIGINS: originList.default(['http://localhost:3000', 'http://localhost:4200', 'http://localhost:5173']),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int(BODY_RANGE)
    .min(1024, BODY_RANGE)
    .max(50 * 1024 * 1024, BODY_RANGE)
    .default(1024 * 1024),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
});

/**
 * The validated configuration. A class, so Nest can inject it by type:
 * `constructor(private readonly config: AppConfig) {}`.
 */
export class AppConfig {
  readonly nodeEnv!: 'development' | 'test' | 'production';
  readonly host!: string;
  readonly port!: number;
  /** Unset means: start the embedded Postgres (PGlite) in `pgliteDataDir`. */
  readonly databaseUrl?: string;
  readonly pgliteDataDir!: string;
  readonly jwt!: { secret: string; expiresIn: string; secretIsEphemeral: boolean };
  readonly corsOrigins!: string[];
  readonly bodyLimitBytes!: number;
  readonly logLevel!: (typeof LOG_LEVELS)[number];
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
  // Checked on the raw values, so it is reported together with any other problem.
  if (present.NODE_ENV === 'production' && !present.JWT_SECRET) {
    problems.push('JWT_SECRET: is required when NODE_ENV=production (at least 32 characters)');
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const vars = parsed.data;
  return Object.assign(new AppConfig(), {
    nodeEnv: vars.NODE_ENV,
    host: vars.HOST,
    port: vars.PORT,
    databaseUrl: vars.DATABASE_URL,
    pgliteDataDir: vars.PGLITE_DATA_DIR,
    jwt: {
      // Outside production a missing secret is replaced by a random one for this process only:
      // local development works with no file edited, and no secret is ever committed.
      secret: vars.JWT_SECRET ?? randomBytes(48).toString('base64'),
      expiresIn: vars.JWT_EXPIRES_IN,
      secretIsEphemeral: !vars.JWT_SECRET,
    },
    corsOrigins: vars.CORS_ORIGINS,
    bodyLimitBytes: vars.BODY_LIMIT_BYTES,
    logLevel: vars.LOG_LEVEL,
  });
}

function redact(name: string, value: string | undefined): string {
  if (value === undefined) return '';
  if (/SECRET|PASSWORD/.test(name)) return '***';
  if (name === 'DATABASE_URL') {
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
