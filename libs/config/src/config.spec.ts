/**
 * @roadmap architecture.twelve-factor-config, security.secrets-management, testing.unit
 * Look at how every malformed variable yields exactly one message naming it, how the JWT secret
 * never shows up in one, and how production refuses the defaults that only suit a laptop.
 */
import { AppConfig, ConfigError, loadConfig } from './config';

/** Runs loadConfig and returns the ConfigError it throws (fails the test if it does not throw one). */
function problemsFor(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error(`expected loadConfig(${JSON.stringify(env)}) to throw a ConfigError`);
}

const GOOD_SECRET = 'a-perfectly-fine-secret-of-more-than-32-characters';

const PRODUCTION_BASE = {
  NODE_ENV: 'production',
  JWT_SECRET: GOOD_SECRET,
  DATABASE_URL: 'postgresql://app:pw@db.internal:5432/conduit',
};

describe('loadConfig', () => {
  describe('defaults with an empty environment', () => {
    const config = loadConfig({});

    it('returns an injectable AppConfig', () => {
      expect(config).toBeInstanceOf(AppConfig);
    });

    it('listens on 127.0.0.1:3000 in development', () => {
      expect(config.nodeEnv).toBe('development');
      expect(config.host).toBe('127.0.0.1');
      expect(config.port).toBe(3000);
    });

    it('has no database URL, so the embedded Postgres is used', () => {
      expect(config.database.url).toBeUndefined();
      expect(config.database.pgliteDataDir).toBe('.data/pglite');
      expect(config.database.embeddedInProduction).toBe(false);
      // The older flat names stay as aliases.
      expect(config.databaseUrl).toBeUndefined();
      expect(config.pgliteDataDir).toBe('.data/pglite');
    });

    it('has bounded pool and timeout defaults, and does not migrate on start', () => {
      expect(config.database).toMatchObject({
        poolSize: 10,
        poolTimeoutMs: 5000,
        statementTimeoutMs: 5000,
        lockTimeoutMs: 2000,
        idleInTransactionTimeoutMs: 10000,
        migrateOnStart: false,
      });
    });

    it('uses an ephemeral, random JWT secret of a safe length', () => {
      expect(config.jwt.secretIsEphemeral).toBe(true);
      expect(config.jwt.secret.length).toBeGreaterThanOrEqual(32);
      expect(loadConfig({}).jwt.secret).not.toBe(config.jwt.secret);
      expect(config.jwt.expiresIn).toBe('1d');
    });

    it('has the remaining defaults', () => {
      expect(config.corsOrigins).toEqual(['http://localhost:3000', 'http://localhost:4200', 'http://localhost:5173']);
      expect(config.bodyLimitBytes).toBe(16 * 1024);
      expect(config.articleBodyLimitBytes).toBe(1024 * 1024);
      expect(config.openApiEnabled).toBe(true);
      expect(config.logLevel).toBe('info');
    });
  });

  it('parses a complete, valid environment', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      HOST: '0.0.0.0',
      PORT: '8080',
      DATABASE_URL: 'postgresql://app:pw@db.internal:5432/conduit',
      JWT_SECRET: GOOD_SECRET,
      JWT_EXPIRES_IN: '15m',
      CORS_ORIGINS: 'https://conduit.example.com, http://localhost:4200',
      BODY_LIMIT_BYTES: '2048',
      ARTICLE_BODY_LIMIT_BYTES: '4096',
      OPENAPI_ENABLED: 'true',
      DATABASE_POOL_SIZE: '25',
      DATABASE_POOL_TIMEOUT_MS: '1500',
      DATABASE_STATEMENT_TIMEOUT_MS: '0',
      DATABASE_LOCK_TIMEOUT_MS: '500',
      DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '60000',
      DATABASE_MIGRATE_ON_START: '1',
      PGLITE_DATA_DIR: '/var/lib/capstone',
      LOG_LEVEL: 'warn',
    });
    expect(config).toMatchObject({
      nodeEnv: 'production',
      host: '0.0.0.0',
      port: 8080,
      database: {
        url: 'postgresql://app:pw@db.internal:5432/conduit',
        pgliteDataDir: '/var/lib/capstone',
        poolSize: 25,
        poolTimeoutMs: 1500,
        statementTimeoutMs: 0,
        lockTimeoutMs: 500,
        idleInTransactionTimeoutMs: 60000,
        migrateOnStart: true,
        embeddedInProduction: false,
      },
      databaseUrl: 'postgresql://app:pw@db.internal:5432/conduit',
      jwt: { secret: GOOD_SECRET, expiresIn: '15m', secretIsEphemeral: false },
      corsOrigins: ['https://conduit.example.com', 'http://localhost:4200'],
      bodyLimitBytes: 2048,
      articleBodyLimitBytes: 4096,
      openApiEnabled: true,
      logLevel: 'warn',
    });
  });

  it('logs readable lines outside production and JSON lines in production, unless LOG_FORMAT says', () => {
    expect(loadConfig({}).logFormat).toBe('pretty');
    expect(loadConfig({ NODE_ENV: 'test' }).logFormat).toBe('pretty');
    expect(loadConfig({ NODE_ENV: 'test', LOG_FORMAT: 'json' }).logFormat).toBe('json');
    const production = { NODE_ENV: 'production', JWT_SECRET: GOOD_SECRET, DATABASE_URL: 'postgresql://db/app' };
    expect(loadConfig(production).logFormat).toBe('json');
    expect(loadConfig({ ...production, LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(problemsFor({ LOG_FORMAT: 'xml' })[0]).toMatch(/^LOG_FORMAT: .*"json".*"pretty".*\(got "xml"\)/);
  });

  it('gives opt-in sessions 15-minute access tokens and a 30-day lifetime unless told otherwise', () => {
    expect(loadConfig({}).sessions).toEqual({ accessTtl: '15m', ttlDays: 30 });
    expect(loadConfig({ SESSION_ACCESS_TTL: '5m', SESSION_TTL_DAYS: '7' }).sessions).toEqual({
      accessTtl: '5m',
      ttlDays: 7,
    });
  });

  it('accepts the postgres:// scheme as well as postgresql://', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1/capstone' }).databaseUrl).toBe(
      'postgres://postgres@127.0.0.1/capstone',
    );
  });

  describe('each malformed variable gives one message naming it', () => {
    const cases: Array<[string, string]> = [
      ['PORT', 'abc'],
      ['PORT', '70000'],
      ['PORT', '-1'],
      ['PORT', '80.5'],
      ['DATABASE_URL', 'mysql://x'],
      ['DATABASE_URL', 'not a url'],
      ['DATABASE_REPLICA_URL', 'mysql://replica'],
      ['JWT_SECRET', 'too-short'],
      ['JWT_EXPIRES_IN', 'forever'],
      ['JWT_EXPIRES_IN', '15'],
      ['SESSION_ACCESS_TTL', '15'],
      ['SESSION_TTL_DAYS', '0'],
      ['CORS_ORIGINS', 'not-a-url'],
      ['CORS_ORIGINS', 'https://conduit.example.com/app'],
      ['CORS_ORIGINS', 'http://localhost:4200,https://ok.example.com/with/path'],
      ['BODY_LIMIT_BYTES', '10'],
      ['BODY_LIMIT_BYTES', '1e6'],
      ['ARTICLE_BODY_LIMIT_BYTES', '52428801'],
      ['LOG_LEVEL', 'loud'],
      ['NODE_ENV', 'staging'],
      ['DATABASE_POOL_SIZE', '0'],
      ['DATABASE_POOL_SIZE', 'ten'],
      ['DATABASE_POOL_TIMEOUT_MS', '0'],
      ['DATABASE_POOL_TIMEOUT_MS', '-5'],
      ['DATABASE_STATEMENT_TIMEOUT_MS', '5s'],
      ['DATABASE_STATEMENT_TIMEOUT_MS', '1.5'],
      ['DATABASE_LOCK_TIMEOUT_MS', '3600001'],
      ['DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', 'never'],
      ['DATABASE_MIGRATE_ON_START', 'yes'],
      ['ALLOW_EMBEDDED_DATABASE', 'on'],
      ['OPENAPI_ENABLED', '2'],
    ];

    it.each(cases)('%s=%s', (name, value) => {
      const problems = problemsFor({ [name]: value });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^${name}\\b`));
    });
  });

  it('takes a read replica only alongside the primary it replicates', () => {
    const replica = 'postgresql://reader@replica.internal:5432/conduit';
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/app', DATABASE_REPLICA_URL: replica }).database.replicaUrl).toBe(
      replica,
    );
    expect(loadConfig({}).database.replicaUrl).toBeUndefined();
    expect(problemsFor({ DATABASE_REPLICA_URL: replica })).toEqual([
      'DATABASE_REPLICA_URL: needs DATABASE_URL (the primary the replica streams from)',
    ]);
  });

  it('explains what a good value looks like', () => {
    expect(problemsFor({ JWT_EXPIRES_IN: 'forever' })[0]).toContain('15m');
    expect(problemsFor({ CORS_ORIGINS: 'https://conduit.example.com/app' })[0]).toContain('no path');
    expect(problemsFor({ DATABASE_URL: 'mysql://x' })[0]).toContain('postgresql://');
  });

  it('shows the rejected value of an ordinary variable', () => {
    expect(problemsFor({ LOG_LEVEL: 'loud' })[0]).toContain('"loud"');
  });

  it('lists one message per bad variable when several are wrong', () => {
    const problems = problemsFor({
      PORT: 'abc',
      DATABASE_URL: 'mysql://x',
      JWT_EXPIRES_IN: 'forever',
      LOG_LEVEL: 'loud',
      NODE_ENV: 'staging',
    });
    expect(problems).toHaveLength(5);
    const named = problems.map((problem) => problem.split(':')[0]).sort();
    expect(named).toEqual(['DATABASE_URL', 'JWT_EXPIRES_IN', 'LOG_LEVEL', 'NODE_ENV', 'PORT']);
  });

  it('puts every problem into the error message as well', () => {
    try {
      loadConfig({ PORT: 'abc', LOG_LEVEL: 'loud' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).name).toBe('ConfigError');
      expect((error as ConfigError).message).toMatch(/^Invalid configuration:\n {2}- /);
      expect((error as ConfigError).message).toContain('PORT');
      expect((error as ConfigError).message).toContain('LOG_LEVEL');
    }
  });

  describe('production', () => {
    const DATABASE_URL = 'postgresql://app:pw@db.internal:5432/conduit';

    it('requires JWT_SECRET', () => {
      const problems = problemsFor({ NODE_ENV: 'production', DATABASE_URL });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^JWT_SECRET: is required when NODE_ENV=production/);
    });

    it('requires DATABASE_URL and names the opt-in for the embedded database', () => {
      const problems = problemsFor({ NODE_ENV: 'production', JWT_SECRET: GOOD_SECRET });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^DATABASE_URL: is required when NODE_ENV=production/);
      expect(problems[0]).toContain('ALLOW_EMBEDDED_DATABASE=true');
    });

    it('runs the embedded database only when ALLOW_EMBEDDED_DATABASE=true says so', () => {
      const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: GOOD_SECRET, ALLOW_EMBEDDED_DATABASE: 'true' });
      expect(config.database.url).toBeUndefined();
      expect(config.database.embeddedInProduction).toBe(true);
      expect(
        problemsFor({ NODE_ENV: 'production', JWT_SECRET: GOOD_SECRET, ALLOW_EMBEDDED_DATABASE: 'false' })[0],
      ).toMatch(/^DATABASE_URL: is required/);
    });

    it('reports a malformed opt-in once, without also asking for DATABASE_URL', () => {
      const problems = problemsFor({ NODE_ENV: 'production', JWT_SECRET: GOOD_SECRET, ALLOW_EMBEDDED_DATABASE: 'yes' });
      expect(problems).toEqual(['ALLOW_EMBEDDED_DATABASE: must be true or false (or 1 or 0) (got "yes")']);
    });

    it('reports a missing JWT_SECRET and DATABASE_URL together with the other problems', () => {
      const problems = problemsFor({ NODE_ENV: 'production', PORT: 'abc' });
      expect(problems).toHaveLength(3);
      expect(problems.join('\n')).toMatch(/^PORT: must be a whole number/m);
      expect(problems.join('\n')).toMatch(/^JWT_SECRET: is required/m);
      expect(problems.join('\n')).toMatch(/^DATABASE_URL: is required/m);
    });

    it('treats an empty JWT_SECRET as missing', () => {
      expect(problemsFor({ NODE_ENV: 'production', DATABASE_URL, JWT_SECRET: '' })[0]).toMatch(
        /^JWT_SECRET: is required/,
      );
    });

    it('starts with a real secret and does not call it ephemeral', () => {
      const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL, JWT_SECRET: GOOD_SECRET });
      expect(config.jwt.secret).toBe(GOOD_SECRET);
      expect(config.jwt.secretIsEphemeral).toBe(false);
    });

    it('allows no CORS origin and serves no OpenAPI document unless told to', () => {
      const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL, JWT_SECRET: GOOD_SECRET });
      expect(config.corsOrigins).toEqual([]);
      expect(config.openApiEnabled).toBe(false);
    });

    it('serves no GraphQL IDE and answers no introspection unless told to', () => {
      const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL, JWT_SECRET: GOOD_SECRET });
      expect(config.graphql).toMatchObject({ ide: false, introspection: false });
      const opted = loadConfig({
        NODE_ENV: 'production',
        DATABASE_URL,
        JWT_SECRET: GOOD_SECRET,
        GRAPHQL_INTROSPECTION: 'true',
      });
      expect(opted.graphql).toMatchObject({ ide: false, introspection: true });
    });

    it('takes CORS origins and OPENAPI_ENABLED when they are set', () => {
      const config = loadConfig({
        NODE_ENV: 'production',
        DATABASE_URL,
        JWT_SECRET: GOOD_SECRET,
        CORS_ORIGINS: 'https://conduit.example.com',
        OPENAPI_ENABLED: 'true',
      });
      expect(config.corsOrigins).toEqual(['https://conduit.example.com']);
      expect(config.openApiEnabled).toBe(true);
    });
  });

  describe('booleans', () => {
    it.each([
      ['true', true],
      ['TRUE', true],
      ['1', true],
      ['false', false],
      ['False', false],
      ['0', false],
    ])('reads %s as %s', (text, expected) => {
      expect(loadConfig({ OPENAPI_ENABLED: text }).openApiEnabled).toBe(expected);
      expect(loadConfig({ DATABASE_MIGRATE_ON_START: text }).database.migrateOnStart).toBe(expected);
    });

    it('can switch the OpenAPI document off outside production', () => {
      expect(loadConfig({ NODE_ENV: 'development', OPENAPI_ENABLED: 'false' }).openApiEnabled).toBe(false);
    });
  });

  describe('GraphQL', () => {
    it('has the IDE, introspection and every limit outside production', () => {
      expect(loadConfig({}).graphql).toEqual({
        ide: true,
        introspection: true,
        maxDepth: 10,
        maxComplexity: 5_000,
        maxAliases: 30,
        maxBatch: 10,
        jitAfter: 10,
      });
    });

    it('takes the limits from the environment and names each malformed one', () => {
      const config = loadConfig({
        GRAPHQL_MAX_DEPTH: '4',
        GRAPHQL_MAX_BATCH: '1',
        GRAPHQL_MAX_ALIASES: '0',
        GRAPHQL_JIT_AFTER: '0',
      });
      expect(config.graphql).toMatchObject({ maxDepth: 4, maxBatch: 1, maxAliases: 0, jitAfter: 0 });
      const problems = problemsFor({
        GRAPHQL_MAX_DEPTH: '1',
        GRAPHQL_MAX_COMPLEXITY: 'lots',
        GRAPHQL_MAX_BATCH: '0',
        GRAPHQL_JIT_AFTER: '-1',
      });
      expect(problems).toEqual([
        expect.stringMatching(/^GRAPHQL_MAX_DEPTH: must be a whole number from 2 to 100/),
        expect.stringMatching(/^GRAPHQL_MAX_COMPLEXITY: must be a whole number from 10 to 1000000/),
        expect.stringMatching(/^GRAPHQL_MAX_BATCH: must be a whole number from 1 to 100/),
        expect.stringMatching(/^GRAPHQL_JIT_AFTER: must be a whole number of runs from 0 to 1000000/),
      ]);
    });
  });

  describe('body limits', () => {
    it('accepts an article limit equal to the general limit', () => {
      const config = loadConfig({ BODY_LIMIT_BYTES: '4096', ARTICLE_BODY_LIMIT_BYTES: '4096' });
      expect(config.bodyLimitBytes).toBe(4096);
      expect(config.articleBodyLimitBytes).toBe(4096);
    });

    it('refuses an article limit below the general limit, naming both', () => {
      const problems = problemsFor({ BODY_LIMIT_BYTES: '20000', ARTICLE_BODY_LIMIT_BYTES: '10000' });
      expect(problems).toEqual(['ARTICLE_BODY_LIMIT_BYTES: must be at least BODY_LIMIT_BYTES (20000) (got "10000")']);
    });

    it('refuses an article limit below the default general limit too', () => {
      expect(problemsFor({ ARTICLE_BODY_LIMIT_BYTES: '2048' })[0]).toMatch(
        /^ARTICLE_BODY_LIMIT_BYTES: must be at least BODY_LIMIT_BYTES \(16384\)/,
      );
    });

    it('does not compare the limits when one of them is malformed (one message per variable)', () => {
      expect(problemsFor({ BODY_LIMIT_BYTES: 'big', ARTICLE_BODY_LIMIT_BYTES: '2048' })).toEqual([
        'BODY_LIMIT_BYTES: must be a whole number of bytes from 1024 to 52428800 (got "big")',
      ]);
    });
  });

  describe('database timeouts', () => {
    it('accepts 0 as "no limit" for the Postgres timeouts', () => {
      const config = loadConfig({
        DATABASE_STATEMENT_TIMEOUT_MS: '0',
        DATABASE_LOCK_TIMEOUT_MS: '0',
        DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '0',
      });
      expect(config.database).toMatchObject({ statementTimeoutMs: 0, lockTimeoutMs: 0, idleInTransactionTimeoutMs: 0 });
    });

    it('explains why the pool timeout cannot be 0', () => {
      expect(problemsFor({ DATABASE_POOL_TIMEOUT_MS: '0' })[0]).toContain('0 would wait forever');
    });
  });

  describe('cache, Redis, rate limits, proxies and hashing', () => {
    it('defaults: in-process stores, cache and rate limits on, no trusted proxy', () => {
      const config = loadConfig({});
      expect(config.redisUrl).toBeUndefined();
      expect(config.redisKeyPrefix).toBe('capstone:');
      expect(config.cache).toEqual({ enabled: true, ttlSeconds: 300, memoryMaxEntries: 10_000 });
      expect(config.rateLimit).toEqual({
        enabled: true,
        windowSeconds: 60,
        max: 600,
        authWindowSeconds: 900,
        authMaxPerIp: 100,
        loginFailuresPerAccount: 10,
      });
      expect(config.trustProxy).toEqual([]);
      expect(config.passwordHashing.concurrency).toBeGreaterThanOrEqual(1);
      expect(config.passwordHashing.queue).toBe(32);
      expect(config.passwordPolicy).toEqual({ breachCheckUrl: undefined, breachCheckTimeoutMs: 2_000 });
    });

    it('parses every variable', () => {
      const config = loadConfig({
        REDIS_URL: 'redis://127.0.0.1:6380/2',
        CACHE_ENABLED: 'false',
        CACHE_TTL_SECONDS: '30',
        RATE_LIMIT_MAX: '5',
        RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '3',
        TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1,fd00::/8,loopback',
        PASSWORD_HASHING_CONCURRENCY: '2',
        PASSWORD_HASHING_QUEUE: '0',
        PASSWORD_BREACH_CHECK_URL: 'https://api.pwnedpasswords.com/range/',
        PASSWORD_BREACH_CHECK_TIMEOUT_MS: '500',
      });
      expect(config.redisUrl).toBe('redis://127.0.0.1:6380/2');
      expect(config.cache).toMatchObject({ enabled: false, ttlSeconds: 30 });
      expect(config.rateLimit).toMatchObject({ max: 5, loginFailuresPerAccount: 3 });
      expect(config.trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', 'loopback']);
      expect(config.passwordHashing).toEqual({ concurrency: 2, queue: 0 });
      expect(config.passwordPolicy).toEqual({
        breachCheckUrl: 'https://api.pwnedpasswords.com/range',
        breachCheckTimeoutMs: 500,
      });
    });

    it.each([
      ['REDIS_URL', 'http://127.0.0.1:6379', 'must be a redis:// or rediss:// URL'],
      ['PASSWORD_BREACH_CHECK_URL', 'ftp://example.com/range', 'must be a http:// or https:// URL'],
      ['REDIS_KEY_PREFIX', 'has space', 'must be 1 to 64 letters, digits or _ . : -'],
      ['TRUST_PROXY', '10.0.0.0/33', 'each entry must be an IP address, a CIDR range'],
      ['TRUST_PROXY', 'my-proxy.internal', 'each entry must be an IP address, a CIDR range'],
      ['TRUST_PROXY', '127.0.0.1/8/1', 'each entry must be an IP address, a CIDR range'],
      ['CACHE_TTL_SECONDS', '0', 'must be a whole number of seconds from 1 to 86400'],
      ['RATE_LIMIT_MAX', '1e3', 'must be a whole number from 1 to 10000000'],
      ['PASSWORD_HASHING_CONCURRENCY', '0', 'must be a whole number from 1 to 256'],
    ])('refuses %s=%s', (name, value, message) => {
      const problems = problemsFor({ [name]: value });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(`${name}: ${message}`);
    });

    it('redacts the password in a rejected REDIS_URL', () => {
      const problems = problemsFor({ REDIS_URL: 'http://default:hunter2@redis.internal:6379' });
      expect(problems[0]).not.toContain('hunter2');
    });
  });

  describe('search, mail, jobs and the operations pages', () => {
    it('defaults: Postgres search, mail to the log, no admin pages, sane job settings', () => {
      const config = loadConfig({});
      expect(config.search).toEqual({ engine: 'postgres', elasticsearchIndex: 'capstone-articles' });
      expect(config.mail).toEqual({ from: 'Conduit <no-reply@conduit.localhost>' });
      expect(config.admin).toBeUndefined();
      expect(config.publicUrl).toBe('http://localhost:3000');
      expect(config.jobs).toEqual({
        concurrency: 5,
        attempts: 8,
        backoffMs: 1000,
        outboxPollIntervalMs: 500,
        outboxRetentionDays: 7,
        shutdownTimeoutMs: 10_000,
        lockDurationMs: 30_000,
        mode: 'in-process',
        digestCron: '0 8 * * 1',
      });
    });

    it('parses a complete set', () => {
      const config = loadConfig({
        SEARCH_ENGINE: 'sphinx',
        SPHINX_URL: 'mysql://127.0.0.1:9306',
        SMTP_URL: 'smtp://user:secret@127.0.0.1:1025',
        ADMIN_USER: 'ops',
        ADMIN_PASSWORD: 'a long admin password',
        PUBLIC_URL: 'https://conduit.example.com/',
      });
      expect(config.search.engine).toBe('sphinx');
      expect(config.search.sphinxUrl).toBe('mysql://127.0.0.1:9306');
      expect(config.mail.smtpUrl).toBe('smtp://user:secret@127.0.0.1:1025');
      expect(config.admin).toEqual({ user: 'ops', password: 'a long admin password' });
      expect(config.publicUrl).toBe('https://conduit.example.com');
    });

    it('sends a verification email on registration unless SIGNUP_VERIFICATION_EMAIL=false', () => {
      expect(loadConfig({}).signupVerificationEmail).toBe(true);
      expect(loadConfig({ SIGNUP_VERIFICATION_EMAIL: 'false' }).signupVerificationEmail).toBe(false);
      expect(problemsFor({ SIGNUP_VERIFICATION_EMAIL: 'maybe' })[0]).toContain(
        'SIGNUP_VERIFICATION_EMAIL: must be true or false',
      );
    });

    it.each([
      [{ SEARCH_ENGINE: 'sphinx' }, 'SPHINX_URL: is required when SEARCH_ENGINE=sphinx'],
      [{ SEARCH_ENGINE: 'elasticsearch' }, 'ELASTICSEARCH_NODE: is required when SEARCH_ENGINE=elasticsearch'],
      [{ SEARCH_ENGINE: 'solr' }, 'SEARCH_ENGINE:'],
      [{ ADMIN_USER: 'ops' }, 'ADMIN_PASSWORD: is required with ADMIN_USER'],
      [{ ADMIN_PASSWORD: 'a long admin password' }, 'ADMIN_USER: is required with ADMIN_PASSWORD'],
      [{ ADMIN_USER: 'ops', ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD: must be at least 12 characters'],
      [{ SMTP_URL: 'http://mail:25' }, 'SMTP_URL: must be a smtp:// or smtps:// URL'],
      [{ DIGEST_CRON: 'every monday' }, 'DIGEST_CRON: must be a 5-field cron expression'],
      [{ JOBS_MODE: 'worker' }, 'JOBS_MODE: worker needs REDIS_URL and DATABASE_URL'],
    ])('refuses %j', (env, message) => {
      const problems = problemsFor(env as NodeJS.ProcessEnv);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(message);
    });

    it('runs jobs in a worker when Redis and a database server are configured, else in the API', () => {
      const both = { REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgresql://postgres@127.0.0.1/x' };
      expect(loadConfig(both).jobs.mode).toBe('worker');
      expect(loadConfig({ REDIS_URL: both.REDIS_URL }).jobs.mode).toBe('in-process');
      expect(loadConfig({ ...both, JOBS_MODE: 'in-process' }).jobs.mode).toBe('in-process');
    });

    it('metrics: a local pair outside production, off in production unless credentials are set', () => {
      const local = loadConfig({});
      expect(local.metrics).toEqual({
        credentials: { user: 'metrics', password: 'metrics-local-only' },
        localDefault: true,
      });
      const production = loadConfig({ ...PRODUCTION_BASE });
      expect(production.metrics).toEqual({ localDefault: false });
      const set = loadConfig({
        ...PRODUCTION_BASE,
        METRICS_USERNAME: 'prometheus',
        METRICS_PASSWORD: 'a long scrape password',
        WORKER_METRICS_PORT: '9464',
      });
      expect(set.metrics).toEqual({
        credentials: { user: 'prometheus', password: 'a long scrape password' },
        localDefault: false,
        worker: { host: '127.0.0.1', port: 9464 },
      });
    });

    it.each([
      [{ METRICS_USERNAME: 'prometheus' }, 'METRICS_PASSWORD: is required with METRICS_USERNAME'],
      [{ METRICS_PASSWORD: 'a long scrape password' }, 'METRICS_USERNAME: is required with METRICS_PASSWORD'],
      [{ METRICS_USERNAME: 'a:b', METRICS_PASSWORD: 'a long scrape password' }, 'METRICS_USERNAME: must be 1 to 64'],
      [{ WORKER_METRICS_PORT: '70000' }, 'WORKER_METRICS_PORT: must be a whole number from 0 to 65535'],
      [{ ...PRODUCTION_BASE, WORKER_METRICS_PORT: '9464' }, 'WORKER_METRICS_PORT: needs METRICS_USERNAME'],
    ])('refuses %j', (env, message) => {
      const problems = problemsFor(env as NodeJS.ProcessEnv);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(message);
    });

    it('never shows the admin password or SMTP credentials', () => {
      const problems = problemsFor({ ADMIN_USER: 'ops', ADMIN_PASSWORD: 'short', SMTP_URL: 'http://u:hunter2@x' });
      expect(problems.join('\n')).not.toMatch(/short|hunter2/);
    });
  });

  describe('secrets never appear in a message', () => {
    it('redacts a JWT_SECRET that is too short', () => {
      const secret = 'hunter2-short-secret';
      const problems = problemsFor({ JWT_SECRET: secret });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^JWT_SECRET: must be at least 32 characters/);
      expect(problems[0]).not.toContain(secret);
      expect(problems[0]).toContain('***');
    });

    it('keeps a valid JWT_SECRET out of messages about other variables', () => {
      try {
        loadConfig({ JWT_SECRET: GOOD_SECRET, PORT: 'abc', LOG_LEVEL: 'loud' });
        throw new Error('expected a ConfigError');
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).message).not.toContain(GOOD_SECRET);
        for (const problem of (error as ConfigError).problems) expect(problem).not.toContain(GOOD_SECRET);
      }
    });

    it('redacts the password in a rejected DATABASE_URL', () => {
      const problems = problemsFor({ DATABASE_URL: 'mysql://admin:s3cr3t-pw@db.internal/app' });
      expect(problems).toHaveLength(1);
      expect(problems[0]).not.toContain('s3cr3t-pw');
      expect(problems[0]).toContain('admin:***@');
    });
  });

  it.each([
    ['an empty user name', 'mysql://:topsecret@db.internal/app', 'topsecret'],
    ['an @ inside the password', 'mysql://u:p@ss-word@db.internal/app', 'ss-word'],
    ['text that is not a URL', 'postgresql:://u:hidden@@', 'hidden'],
  ])('redacts a DATABASE_URL password with %s', (_case, url, secret) => {
    const problems = problemsFor({ DATABASE_URL: url });
    expect(problems).toHaveLength(1);
    expect(problems[0]).not.toContain(secret);
    expect(problems[0]).toContain('***');
  });

  describe('an empty string counts as unset', () => {
    it('falls back to every default', () => {
      const config = loadConfig({
        NODE_ENV: '',
        HOST: '',
        PORT: '',
        DATABASE_URL: '',
        JWT_SECRET: '',
        JWT_EXPIRES_IN: '',
        CORS_ORIGINS: '',
        BODY_LIMIT_BYTES: '',
        ARTICLE_BODY_LIMIT_BYTES: '',
        OPENAPI_ENABLED: '',
        DATABASE_POOL_SIZE: '',
        DATABASE_MIGRATE_ON_START: '',
        LOG_LEVEL: '',
      });
      expect(config.nodeEnv).toBe('development');
      expect(config.host).toBe('127.0.0.1');
      expect(config.port).toBe(3000);
      expect(config.databaseUrl).toBeUndefined();
      expect(config.jwt.secretIsEphemeral).toBe(true);
      expect(config.jwt.expiresIn).toBe('1d');
      expect(config.corsOrigins).toHaveLength(3);
      expect(config.bodyLimitBytes).toBe(16 * 1024);
      expect(config.articleBodyLimitBytes).toBe(1024 * 1024);
      expect(config.openApiEnabled).toBe(true);
      expect(config.database.poolSize).toBe(10);
      expect(config.database.migrateOnStart).toBe(false);
      expect(config.logLevel).toBe('info');
    });

    it('treats an empty DATABASE_URL as missing in production', () => {
      expect(problemsFor({ NODE_ENV: 'production', JWT_SECRET: GOOD_SECRET, DATABASE_URL: '' })[0]).toMatch(
        /^DATABASE_URL: is required/,
      );
    });
  });

  describe('OAuth 2.0 and OpenID Connect providers', () => {
    it('has none by default', () => {
      expect(loadConfig({}).oauth).toEqual({ oidc: undefined, github: undefined });
    });

    it('takes an OpenID Connect provider and GitHub, with github.com endpoints by default', () => {
      const config = loadConfig({
        OIDC_ISSUER: 'https://accounts.example.com',
        OIDC_CLIENT_ID: 'conduit',
        OIDC_CLIENT_SECRET: 'oidc-secret',
        OIDC_NAME: 'corp',
        GITHUB_CLIENT_ID: 'Iv1.abc',
        GITHUB_CLIENT_SECRET: 'github-secret',
      });
      expect(config.oauth.oidc).toEqual({
        name: 'corp',
        issuer: 'https://accounts.example.com',
        clientId: 'conduit',
        clientSecret: 'oidc-secret',
      });
      expect(config.oauth.github).toEqual({
        clientId: 'Iv1.abc',
        clientSecret: 'github-secret',
        authorizeUrl: 'https://github.com/login/oauth/authorize',
        tokenUrl: 'https://github.com/login/oauth/access_token',
        apiUrl: 'https://api.github.com',
      });
      expect(
        loadConfig({ OIDC_ISSUER: 'https://a.example', OIDC_CLIENT_ID: 'x', OIDC_CLIENT_SECRET: 'y' }).oauth.oidc?.name,
      ).toBe('oidc');
    });

    it('wants all three OIDC variables or none, and both GitHub ones or none, never showing a secret', () => {
      const problems = problemsFor({
        OIDC_ISSUER: 'https://accounts.example.com',
        GITHUB_CLIENT_SECRET: 'github-secret',
      });
      expect(problems).toEqual([
        'OIDC_CLIENT_ID: is required with OIDC_ISSUER and OIDC_CLIENT_SECRET (all of them or none)',
        'OIDC_CLIENT_SECRET: is required with OIDC_ISSUER and OIDC_CLIENT_ID (all of them or none)',
        'GITHUB_CLIENT_ID: is required with GITHUB_CLIENT_SECRET (all of them or none)',
      ]);
      expect(problems.join('\n')).not.toContain('github-secret');
    });

    it('refuses the key "github" for the OIDC provider, a plain-http issuer and test endpoints in production', () => {
      expect(problemsFor({ OIDC_NAME: 'github' })).toEqual([
        'OIDC_NAME: must not be "github" (that key is the GitHub sign-in\'s) (got "github")',
      ]);
      const production = problemsFor({
        NODE_ENV: 'production',
        JWT_SECRET: GOOD_SECRET,
        DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/capstone',
        OIDC_ISSUER: 'http://accounts.example.com',
        OIDC_CLIENT_ID: 'conduit',
        OIDC_CLIENT_SECRET: 'oidc-secret',
        GITHUB_API_URL: 'http://127.0.0.1:9999',
      });
      expect(production).toEqual([
        'OIDC_ISSUER: must be an https:// URL when NODE_ENV=production',
        'GITHUB_API_URL: is for tests only; unset it when NODE_ENV=production (github.com is used)',
      ]);
    });
  });

  it('ignores variables it does not know', () => {
    expect(() => loadConfig({ PATH: '/usr/bin', SOMETHING_ELSE: 'x' })).not.toThrow();
  });
});
