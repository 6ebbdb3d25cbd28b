/**
 * @roadmap databases.connection-pooling, testing.integration
 * Look at how the pool's settings are checked where they matter, in the database session
 * (`current_setting`), and at the pool surviving a connection that Postgres ends in the middle
 * of a transaction: the slot comes back, where Prisma alone would lose it for good.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createPrismaClient } from '@capstone/database';
import { PrismaService } from '../src/database/prisma.service';
import { createAppOn } from './setup/database-fixtures';

type Settings = { statement: string; lock: string; idle: string };

async function sessionSettings(prisma: PrismaService): Promise<Settings> {
  const [settings] = await prisma.$queryRaw<Settings[]>`
    SELECT current_setting('statement_timeout') AS statement,
           current_setting('lock_timeout') AS lock,
           current_setting('idle_in_transaction_session_timeout') AS idle`;
  return settings;
}

describe('the connection pool', () => {
  describe('session settings', () => {
    let app: NestFastifyApplication | undefined;
    afterEach(async () => {
      await app?.close();
      app = undefined;
    });

    it('applies the default timeouts to every pooled connection', async () => {
      app = await createAppOn(process.env.DATABASE_URL!);
      expect(await sessionSettings(app.get(PrismaService))).toEqual({ statement: '5s', lock: '2s', idle: '10s' });
    });

    it('applies the configured timeouts', async () => {
      app = await createAppOn(process.env.DATABASE_URL!, {
        DATABASE_STATEMENT_TIMEOUT_MS: '1500',
        DATABASE_LOCK_TIMEOUT_MS: '250',
        DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '60000',
      });
      expect(await sessionSettings(app.get(PrismaService))).toEqual({
        statement: '1500ms',
        lock: '250ms',
        idle: '1min',
      });
    });

    it('leaves the server default (no limit) where a timeout is 0', async () => {
      app = await createAppOn(process.env.DATABASE_URL!, {
        DATABASE_STATEMENT_TIMEOUT_MS: '0',
        DATABASE_LOCK_TIMEOUT_MS: '0',
        DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '0',
      });
      expect(await sessionSettings(app.get(PrismaService))).toEqual({ statement: '0', lock: '0', idle: '0' });
    });
  });

  it('gets its slot back when Postgres ends a connection inside a transaction', async () => {
    // One connection, ended by the server once a transaction sits idle for 100 ms.
    const prisma = createPrismaClient(process.env.DATABASE_URL!, {
      maxConnections: 1,
      poolTimeoutMs: 2_000,
      idleInTransactionTimeoutMs: 100,
    });
    try {
      for (let round = 1; round <= 2; round++) {
        // Idle inside the transaction past the limit: the server ends the session.
        const transaction = prisma.$transaction(
          async (tx) => {
            await tx.$queryRaw`SELECT 1`;
            await new Promise((resolve) => setTimeout(resolve, 500));
            await tx.$queryRaw`SELECT 2`;
          },
          { timeout: 10_000 },
        );
        await expect(transaction).rejects.toThrow(/connection error|terminat/i);
        // Without the pool's fix this waits for the pool timeout and fails: the only slot is gone.
        await expect(prisma.$queryRaw`SELECT 42 AS answer`).resolves.toEqual([{ answer: 42 }]);
      }
    } finally {
      await prisma.$disconnect();
    }
  });
});
