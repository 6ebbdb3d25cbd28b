import { Client } from 'pg';
import { pgPoolConfigFromUrl } from '@capstone/database';

/** Drops the databases the global setup created for this run (the run's own and its template). */
export default async function globalTeardown(): Promise<void> {
  const serverUrl = process.env.TEST_SERVER_URL;
  const databases = [process.env.TEST_RUN_DATABASE, process.env.TEST_TEMPLATE_DATABASE].filter(Boolean);
  if (!serverUrl || databases.length === 0) return;
  const admin = new Client(pgPoolConfigFromUrl(serverUrl));
  await admin.connect();
  try {
    for (const database of databases) await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
