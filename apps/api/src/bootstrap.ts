/**
 * @roadmap architecture.twelve-factor-config, observability.graceful-shutdown
 * Look at the start-up order (config, database, app, listen) and how a stop undoes it.
 */
import { loadConfig } from '@capstone/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from './app.factory';
import { openDatabase } from './database/database-connection';

export interface RunningServer {
  app: NestFastifyApplication;
  /** e.g. http://127.0.0.1:3000 */
  url: string;
  close(): Promise<void>;
}

export async function startServer(env: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  const config = loadConfig(env); // throws ConfigError listing every problem
  const database = await openDatabase(config);
  let app: NestFastifyApplication;
  try {
    app = await createApp(config, database.connection);
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await database.stop();
    throw error;
  }
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    app,
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    async close() {
      await app.close();
      await database.stop();
    },
  };
}
