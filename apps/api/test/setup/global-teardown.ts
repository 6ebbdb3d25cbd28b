import { Client } from 'pg';
import { pgPoolConfigFromUrl } from '@capstone/database';

/** Drops the database the global setup created for this run. */
export default async function globalTeardown(): Promise<void> {
  const database = process.env.TEST_RUN_DATABASE;
  const serverUrl = process.env.TEST_SERVER_URL;
  if (!database || !serverUrl) return;
  const admin = new Client(pgPoolConfigFromUrl(serverUrl));
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
