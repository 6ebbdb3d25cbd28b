/**
 * @roadmap databases.postgresql
 * Look at why the URL is split into fields: Prisma's shadow database needs them separate.
 */
import type { PoolConfig } from 'pg';

/**
 * Turns a postgres:// URL into node-postgres pool options. Host, port, user, password and
 * database are passed as separate fields rather than as `connectionString`: with a connection
 * string, the shadow database that `prisma migrate dev` creates silently points back at the main
 * database (see docs/adr/0001-prisma-6-js-engine.md).
 */
export function pgPoolConfigFromUrl(databaseUrl: string, extra: PoolConfig = {}): PoolConfig {
  const url = new URL(databaseUrl);
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error(`expected a postgres:// or postgresql:// URL, got "${url.protocol}"`);
  }
  // A Unix socket: postgresql:///dbname?host=/var/run/postgresql
  const socketHost = url.searchParams.get('host');
  // new URL() keeps IPv6 literals in brackets ("[::1]"); node-postgres wants them bare.
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    host: socketHost ?? (hostname || '127.0.0.1'),
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username) || 'postgres',
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres',
    ...sslFromMode(url.searchParams.get('sslmode')),
    ...extra,
  };
}

/** libpq's sslmode, as far as node-postgres can express it. */
function sslFromMode(mode: string | null): Pick<PoolConfig, 'ssl'> {
  switch (mode) {
    case null:
    case 'disable':
      return {};
    case 'require':
    case 'prefer':
      // Encrypted, certificate not checked: what libpq's "require" means.
      return { ssl: { rejectUnauthorized: false } };
    case 'verify-ca':
    case 'verify-full':
      return { ssl: { rejectUnauthorized: true } };
    default:
      throw new Error(`unsupported sslmode "${mode}" (use disable, require, verify-ca or verify-full)`);
  }
}

/** Builds a URL for another database on the same server (used by tests and the embedded server). */
export function withDatabaseName(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}
