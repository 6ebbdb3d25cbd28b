/**
 * @roadmap databases.postgresql, testing.unit
 * Look at how a postgres:// URL becomes separate pool fields (with defaults and percent-decoding) and how a test database URL is derived.
 */
import { pgPoolConfigFromUrl, withDatabaseName } from './pg-connection';

describe('pgPoolConfigFromUrl', () => {
  it('splits a full URL into separate fields', () => {
    expect(pgPoolConfigFromUrl('postgresql://app:s3cret@db.internal:6543/conduit')).toEqual({
      host: 'db.internal',
      port: 6543,
      user: 'app',
      password: 's3cret',
      database: 'conduit',
    });
  });

  it('never passes the URL itself as connectionString', () => {
    const config = pgPoolConfigFromUrl('postgresql://app:s3cret@db.internal:6543/conduit');
    expect(config).not.toHaveProperty('connectionString');
  });

  it('accepts the postgres:// scheme too', () => {
    expect(pgPoolConfigFromUrl('postgres://app@db.internal/conduit')).toMatchObject({
      host: 'db.internal',
      database: 'conduit',
    });
  });

  it('fills in the libpq defaults: port 5432, user and database postgres, empty password', () => {
    expect(pgPoolConfigFromUrl('postgresql://127.0.0.1')).toEqual({
      host: '127.0.0.1',
      port: 5432,
      user: 'postgres',
      password: '',
      database: 'postgres',
    });
  });

  it('returns the port as a number', () => {
    expect(pgPoolConfigFromUrl('postgresql://h:15432/db').port).toBe(15432);
  });

  it('percent-decodes the user, password and database name', () => {
    const config = pgPoolConfigFromUrl('postgresql://app%40corp:p%40ss%3Aw%2Frd@h/my%20db');
    expect(config.user).toBe('app@corp');
    expect(config.password).toBe('p@ss:w/rd');
    expect(config.database).toBe('my db');
  });

  it('uses a ?host= socket directory instead of the URL host', () => {
    expect(pgPoolConfigFromUrl('postgresql:///capstone?host=/var/run/postgresql')).toMatchObject({
      host: '/var/run/postgresql',
      database: 'capstone',
    });
    expect(pgPoolConfigFromUrl('postgresql://app@localhost/capstone?host=%2Ftmp').host).toBe('/tmp');
  });

  it('defaults the host to 127.0.0.1 when the URL has none', () => {
    expect(pgPoolConfigFromUrl('postgresql:///capstone').host).toBe('127.0.0.1');
  });

  it('merges extra pool options, which win over the URL', () => {
    const config = pgPoolConfigFromUrl('postgresql://app@h:5432/db', {
      max: 3,
      connectionTimeoutMillis: 1_000,
      database: 'other',
    });
    expect(config).toMatchObject({ host: 'h', user: 'app', max: 3, connectionTimeoutMillis: 1_000, database: 'other' });
  });

  it.each(['mysql://root@localhost/db', 'http://localhost:5432/db', 'file:///tmp/db'])(
    'refuses a non-postgres URL: %s',
    (url) => {
      expect(() => pgPoolConfigFromUrl(url)).toThrow(/expected a postgres:\/\/ or postgresql:\/\/ URL/);
    },
  );

  it('unwraps an IPv6 literal host', () => {
    expect(pgPoolConfigFromUrl('postgresql://postgres@[::1]:5433/app')).toMatchObject({ host: '::1', port: 5433 });
  });

  it.each([
    ['disable', undefined],
    ['require', { rejectUnauthorized: false }],
    ['verify-full', { rejectUnauthorized: true }],
  ])('maps sslmode=%s to node-postgres ssl options', (mode, ssl) => {
    expect(pgPoolConfigFromUrl(`postgresql://u@db.example.com/app?sslmode=${mode}`).ssl).toEqual(ssl);
  });

  it('refuses an sslmode it cannot honour', () => {
    expect(() => pgPoolConfigFromUrl('postgresql://u@db.example.com/app?sslmode=allowish')).toThrow(/sslmode/);
  });

  it('throws on a string that is not a URL', () => {
    expect(() => pgPoolConfigFromUrl('not a url')).toThrow();
  });
});

describe('withDatabaseName', () => {
  it('swaps only the database name', () => {
    expect(withDatabaseName('postgresql://app:s3cret@db.internal:6543/postgres', 'capstone_test_1')).toBe(
      'postgresql://app:s3cret@db.internal:6543/capstone_test_1',
    );
  });

  it('adds a database name to a URL that has none', () => {
    expect(pgPoolConfigFromUrl(withDatabaseName('postgresql://postgres@127.0.0.1:5432', 'fresh')).database).toBe(
      'fresh',
    );
  });

  it('keeps the query string', () => {
    const url = withDatabaseName('postgresql:///postgres?host=/var/run/postgresql', 'capstone');
    expect(pgPoolConfigFromUrl(url)).toMatchObject({ host: '/var/run/postgresql', database: 'capstone' });
  });

  it('percent-encodes a name that needs it, and the round trip gives the name back', () => {
    const url = withDatabaseName('postgresql://postgres@127.0.0.1/postgres', 'my db/x?');
    expect(url).toBe('postgresql://postgres@127.0.0.1/my%20db%2Fx%3F');
    expect(pgPoolConfigFromUrl(url).database).toBe('my db/x?');
  });
});
