import { Client } from 'pg';
import { createRedisClient } from '@capstone/cache';
import { pgPoolConfigFromUrl } from '@capstone/database';

/** Drops the databases the global setup created for this run (the run's own and its template). */
export default async function globalTeardown(): Promise<void> {
  await deleteRedisKeys();
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

/** Deletes the Redis keys of this run's test apps (cache entries and versions, rate-limit counters). */
async function deleteRedisKeys(): Promise<void> {
  const url = process.env.TEST_REDIS_URL;
  const prefix = process.env.TEST_REDIS_KEY_PREFIX;
  if (!url || !prefix) return;
  const redis = createRedisClient(url, { lazyConnect: true, retryStrategy: () => null });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
