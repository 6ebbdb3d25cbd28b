import { loadConfig } from '@capstone/config';
import { DEMO_USERS } from '@capstone/database';
import { describeWhereEverythingIs } from './startup-summary';

describe('describeWhereEverythingIs', () => {
  it('lists what local defaults turn on, with a wildcard host shown as localhost, and the demo logins when seeded', () => {
    const lines = describeWhereEverythingIs(loadConfig({ NODE_ENV: 'development' }), 'http://0.0.0.0:3000', true);
    const text = lines.join('\n');
    expect(lines[0]).toMatch(/^Explorer {5}http:\/\/localhost:3000\/ /);
    expect(text).toContain('API          http://localhost:3000/api');
    expect(text).toContain('Swagger UI   http://localhost:3000/docs');
    expect(text).toContain('GraphQL IDE  http://localhost:3000/graphiql');
    expect(text).toContain('Metrics      http://localhost:3000/metrics  (metrics / metrics-local-only)');
    for (const user of DEMO_USERS) expect(text).toContain(`${user.email} / ${user.password}`);
    // No Redis and no admin credentials: no dashboard to point at.
    expect(text).not.toContain('/admin/queues');
  });

  it('names the queue dashboard when it is mounted, and prints no login for a database it did not seed', () => {
    const config = loadConfig({
      NODE_ENV: 'development',
      REDIS_URL: 'redis://127.0.0.1:6379',
      ADMIN_USER: 'admin',
      ADMIN_PASSWORD: 'a-long-enough-admin-password',
      METRICS_USERNAME: 'prom',
      METRICS_PASSWORD: 'a-long-enough-metrics-password',
    });
    const text = describeWhereEverythingIs(config, 'http://127.0.0.1:4000', false).join('\n');
    expect(text).toContain('Explorer     http://127.0.0.1:4000/ ');
    expect(text).toContain('Queues       http://127.0.0.1:4000/admin/queues');
    expect(text).toContain('(METRICS_USERNAME / METRICS_PASSWORD)');
    expect(text).not.toContain('a-long-enough-metrics-password');
    expect(text).not.toContain('Demo logins');
  });
});
