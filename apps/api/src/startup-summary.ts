/**
 * @roadmap devops.local-development
 * Look at the one block the API prints once it listens: where the roadmap explorer, the API, its
 * docs, the GraphQL IDE, the queue dashboard and the metrics are (only the ones this configuration turns on), and, on a
 * freshly seeded embedded database, who you can sign in as.
 */
import type { AppConfig } from '@capstone/config';
import { describeDemoLogins } from '@capstone/database';
import { QUEUE_DASHBOARD_PATH } from './admin/queue-dashboard';
import { API_PREFIX } from './api-prefix';
import { EXPLORER_PATH } from './explorer/explorer';
import { GRAPHQL_IDE_PATH } from './graphql/graphql-ide';
import { METRICS_PATH } from './metrics/metrics-endpoint';
import { SWAGGER_UI_PATH } from './openapi/setup-openapi';

/** `url` is where the server listens, e.g. http://0.0.0.0:3000; a wildcard host is shown as localhost. */
export function describeWhereEverythingIs(config: AppConfig, url: string, seededDemoContent: boolean): string[] {
  const base = url.replace(/\/\/(0\.0\.0\.0|\[::\])(?=:|$)/, '//localhost');
  const lines = [
    `Explorer     ${base}${EXPLORER_PATH}  (the roadmap topics, "try it", a small blog reader)`,
    `API          ${base}/${API_PREFIX}  (health: ${base}/${API_PREFIX}/health/ready)`,
  ];
  if (config.openApiEnabled) lines.push(`Swagger UI   ${base}/${SWAGGER_UI_PATH}`);
  if (config.graphql.ide) lines.push(`GraphQL IDE  ${base}${GRAPHQL_IDE_PATH}`);
  if (config.admin && config.redisUrl)
    lines.push(`Queues       ${base}${QUEUE_DASHBOARD_PATH}  (ADMIN_USER / ADMIN_PASSWORD)`);
  const metrics = config.metrics.credentials;
  if (metrics) {
    lines.push(
      `Metrics      ${base}${METRICS_PATH}  (` +
        (config.metrics.localDefault
          ? `${metrics.user} / ${metrics.password}`
          : 'METRICS_USERNAME / METRICS_PASSWORD') +
        ')',
    );
  }
  if (seededDemoContent) {
    lines.push(
      'Demo logins  (this new embedded database was filled with demo content; pnpm db:seed adds it elsewhere)',
    );
    for (const login of describeDemoLogins()) lines.push(`             ${login}`);
  }
  return lines;
}
