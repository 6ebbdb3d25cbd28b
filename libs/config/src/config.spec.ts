/**
 * @roadmap architecture.twelve-factor-config, security.secrets-management, testing.unit
 * Look at how every malformed variable yields exactly one message naming it, and how the JWT secret never shows up in one.
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
      expect(config.databaseUrl).toBeUndefined();
      expect(config.pgliteDataDir).toBe('.data/pglite');
    });

    it('uses an ephemeral, random JWT secret of a safe length', () => {
      expect(config.jwt.secretIsEphemeral).toBe(true);
      expect(config.jwt.secret.length).toBeGreaterThanOrEqual(32);
      expect(loadConfig({}).jwt.secret).not.toBe(config.jwt.secret);
      expect(config.jwt.expiresIn).toBe('1d');
    });

    it('has the remaining defaults', () => {
      expect(config.corsOrigins).toEqual(['http://localhost:3000', 'http://localhost:4200', 'http://localhost:5173']);
      expect(config.bodyLimitBytes).toBe(1024 * 1024);
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
      LOG_LEVEL: 'warn',
    });
    expect(config).toMatchObject({
      nodeEnv: 'production',
      host: '0.0.0.0',
      port: 8080,
      databaseUrl: 'postgresql://app:pw@db.internal:5432/conduit',
      jwt: { secret: GOOD_SECRET, expiresIn: '15m', secretIsEphemeral: false },
      corsOrigins: ['https://conduit.example.com', 'http://localhost:4200'],
      bodyLimitBytes: 2048,
      logLevel: 'warn',
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
      ['JWT_SECRET', 'too-short'],
      ['JWT_EXPIRES_IN', 'forever'],
      ['JWT_EXPIRES_IN', '15'],
      ['CORS_ORIGINS', 'not-a-url'],
      ['CORS_ORIGINS', 'https://conduit.example.com/app'],
      ['CORS_ORIGINS', 'http://localhost:4200,https://ok.example.com/with/path'],
      ['BODY_LIMIT_BYTES', '10'],
      ['LOG_LEVEL', 'loud'],
      ['NODE_ENV', 'staging'],
    ];

    it.each(cases)('%s=%s', (name, value) => {
      const problems = problemsFor({ [name]: value });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^${name}\\b`));
    });
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
    it('requires JWT_SECRET', () => {
      const problems = problemsFor({ NODE_ENV: 'production' });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^JWT_SECRET: is required when NODE_ENV=production/);
    });

    it('reports a missing JWT_SECRET together with the other problems', () => {
      const problems = problemsFor({ NODE_ENV: 'production', PORT: 'abc' });
      expect(problems).toHaveLength(2);
      expect(problems.join('\n')).toMatch(/^PORT: must be a whole number/m);
      expect(problems.join('\n')).toMatch(/^JWT_SECRET: is required/m);
    });

    it('treats an empty JWT_SECRET as missing', () => {
      expect(problemsFor({ NODE_ENV: 'production', JWT_SECRET: '' })[0]).toMatch(/^JWT_SECRET: is required/);
    });

    it('starts with a real secret and does not call it ephemeral', () => {
      const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: GOOD_SECRET });
      expect(config.jwt.secret).toBe(GOOD_SECRET);
      expect(config.jwt.secretIsEphemeral).toBe(false);
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
        LOG_LEVEL: '',
      });
      expect(config.nodeEnv).toBe('development');
      expect(config.host).toBe('127.0.0.1');
      expect(config.port).toBe(3000);
      expect(config.databaseUrl).toBeUndefined();
      expect(config.jwt.secretIsEphemeral).toBe(true);
      expect(config.jwt.expiresIn).toBe('1d');
      expect(config.corsOrigins).toHaveLength(3);
      expect(config.bodyLimitBytes).toBe(1024 * 1024);
      expect(config.logLevel).toBe('info');
    });
  });

  it('ignores variables it does not know', () => {
    expect(() => loadConfig({ PATH: '/usr/bin', SOMETHING_ELSE: 'x' })).not.toThrow();
  });
});
