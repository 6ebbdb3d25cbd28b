/**
 * @roadmap security.authorization, languages.cli-tools
 * Look at how the first admin is made: not through the API (nobody could be trusted to call it),
 * but by an operator with access to the database, from the same configuration as the API. The
 * role is read on every request, so the change applies to the user's very next request.
 *
 *   pnpm user:role <email> <user|admin>
 */
import { ConfigError, loadConfig } from '@capstone/config';
import { createPgPool, pgPoolConfigFromUrl } from '@capstone/database';

const USAGE = 'Usage: pnpm user:role <email> <user|admin>   (connects to DATABASE_URL)\n';

class UsageError extends Error {}

export async function main(argv = process.argv.slice(2), env = process.env): Promise<number> {
  const [email, role, ...rest] = argv;
  if (!email || (role !== 'user' && role !== 'admin') || rest.length > 0) throw new UsageError('bad arguments');
  const config = loadConfig(env);
  if (!config.database.url) throw new UsageError('DATABASE_URL is not set');
  const pool = createPgPool(pgPoolConfigFromUrl(config.database.url, { max: 1 }));
  try {
    // Emails are stored lower-case (users.service.ts normalises them the same way).
    const { rows } = await pool.query<{ username: string }>(
      `UPDATE users SET role = $2::"Role" WHERE email = $1 RETURNING username`,
      [email.trim().toLowerCase(), role.toUpperCase()],
    );
    if (rows.length === 0) {
      console.error(`user:role: no user with the email ${email}`);
      return 1;
    }
    process.stdout.write(`${rows[0].username} (${email}) is now ${role === 'admin' ? 'an admin' : 'a user'}.\n`);
    return 0;
  } finally {
    await pool.end();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof UsageError) console.error(`user:role: ${error.message}\n\n${USAGE}`);
      else if (error instanceof ConfigError) console.error(error.message);
      else console.error('user:role failed:', error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
