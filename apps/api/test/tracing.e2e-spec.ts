/**
 * @roadmap observability.tracing, observability.logging, testing.e2e
 * Look at what an operator gets from `node -r ./dist/tracing.js` with an OTLP endpoint set: the
 * built API sends, to a real OTLP/HTTP receiver, a server span for each request, the route's
 * span and its Postgres queries as children in the same trace, and the request's log line names
 * that trace; with no endpoint, the preload loads nothing of the SDK and the logs carry no trace.
 */
import { execFileSync } from 'node:child_process';
import { createScratchDatabase, type ScratchDatabase } from './setup/database-fixtures';
import { runBuiltApi, TRACING_PRELOAD, type ApiProcess } from './support/api-process';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver';

const SECRET = 'tracing-test-secret-that-is-at-least-32-characters';
const PRELOAD = ['-r', TRACING_PRELOAD];
/** Spans leave every 100 ms instead of every 5 s: the test waits for them. */
const FAST_EXPORT = { OTEL_BSP_SCHEDULE_DELAY: '100' };
/** Neither standard variable, whatever the runner's environment holds. */
const NO_ENDPOINT = { OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '' };

type LogLine = Record<string, unknown>;

function jsonLines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

async function eventually<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what} did not show up within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The OpenTelemetry modules a bare `node -r <preload>` has loaded, by package name. */
function otelPackagesLoadedBy(env: NodeJS.ProcessEnv): string[] {
  const script =
    'const names = new Set(Object.keys(require.cache).map((f) => /@opentelemetry\\/([^/]+)/.exec(f)?.[1]).filter(Boolean));' +
    'process.stdout.write(JSON.stringify([...names].sort()));';
  const output = execFileSync(process.execPath, [...PRELOAD, '-e', script], {
    env: { ...process.env, ...NO_ENDPOINT, ...env },
  });
  return JSON.parse(output.toString()) as string[];
}

describe('OpenTelemetry tracing of the built API', () => {
  let database: ScratchDatabase;
  let receiver: OtlpReceiver;
  let api: ApiProcess | undefined;

  beforeAll(async () => {
    database = await createScratchDatabase('tracing', 'migrated');
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    await api?.stop();
    api = undefined;
  });
  afterAll(async () => {
    await receiver?.close();
    await database?.drop();
  });

  it('sends the server span, the route span and the pg spans of a request, and logs its trace_id', async () => {
    api = await runBuiltApi(
      {
        PORT: '0',
        DATABASE_URL: database.url,
        JWT_SECRET: SECRET,
        LOG_FORMAT: 'json',
        ...NO_ENDPOINT,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        ...FAST_EXPORT,
      },
      undefined,
      PRELOAD,
    );
    const requestId = 'trace-me-0001';
    const response = await fetch(`${api.baseUrl}/articles`, { headers: { 'X-Request-Id': requestId } });
    expect(response.status).toBe(200);

    const server = await receiver.waitForSpan(
      (span) => span.kind === 2 && span.attributes['url.path'] === '/api/articles',
    );
    expect(server).toMatchObject({
      serviceName: 'capstone-api',
      scope: '@opentelemetry/instrumentation-http',
      attributes: expect.objectContaining({ 'http.request.method': 'GET', 'http.response.status_code': 200 }),
    });
    const inTrace = (predicate: (span: ReceivedSpan) => boolean) =>
      receiver.waitForSpan((span) => span.traceId === server.traceId && predicate(span));
    const route = await inTrace((span) => span.attributes['http.route'] === '/api/articles');
    expect(route.name).toBe('ArticlesController.list');
    const query = await inTrace((span) => span.name.startsWith('pg.query'));
    expect(query.attributes['db.system.name'] ?? query.attributes['db.system']).toBe('postgresql');
    expect(query.attributes['db.namespace'] ?? query.attributes['db.name']).toBe(database.name);
    // Children of the request, not traces of their own.
    expect(route.parentSpanId).toBeDefined();
    expect(query.parentSpanId).toBeDefined();

    const line = await eventually('the request line', () =>
      jsonLines(api!.output()).find((entry) => entry.requestId === requestId && entry.status === 200),
    );
    expect(line).toMatchObject({ trace_id: server.traceId, span_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
    // Start-up lines are written outside any span: no trace fields there.
    const startup = jsonLines(api.output()).find((entry) => /^API listening on/.test(String(entry.msg)));
    expect(startup).toBeDefined();
    expect(startup).not.toHaveProperty('trace_id');
  });

  it('flushes the spans of the last request on SIGTERM, however long the export delay', async () => {
    api = await runBuiltApi(
      {
        PORT: '0',
        DATABASE_URL: database.url,
        JWT_SECRET: SECRET,
        ...NO_ENDPOINT,
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.endpoint}/v1/traces`,
        OTEL_SERVICE_NAME: 'tracing-shutdown-test',
        // Nothing would be sent for a minute: only the shutdown's flush can deliver the span.
        OTEL_BSP_SCHEDULE_DELAY: '60000',
      },
      undefined,
      PRELOAD,
    );
    expect((await fetch(`${api.baseUrl}/tags`)).status).toBe(200);
    const stopped = performance.now();
    expect(await api.stop()).toBe(0);
    api = undefined;
    expect(performance.now() - stopped).toBeLessThan(10_000);
    const span = receiver.spans.find((each) => each.kind === 2 && each.attributes['url.path'] === '/api/tags');
    expect(span).toMatchObject({ serviceName: 'tracing-shutdown-test' });
  });

  it('with no endpoint configured, the preload loads nothing of the SDK and log lines carry no trace', async () => {
    // The check itself: with an endpoint, the same script sees the SDK loaded.
    expect(otelPackagesLoadedBy({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint })).toEqual(
      expect.arrayContaining(['sdk-node', 'auto-instrumentations-node', 'exporter-trace-otlp-http']),
    );
    // Without: at most the API package, whose calls are no-ops.
    expect(otelPackagesLoadedBy({})).toEqual(['api']);

    const before = receiver.spans.length;
    api = await runBuiltApi(
      { PORT: '0', DATABASE_URL: database.url, JWT_SECRET: SECRET, LOG_FORMAT: 'json', ...NO_ENDPOINT },
      undefined,
      PRELOAD,
    );
    const requestId = 'untraced-0001';
    expect((await fetch(`${api.baseUrl}/articles`, { headers: { 'X-Request-Id': requestId } })).status).toBe(200);
    const line = await eventually('the request line', () =>
      jsonLines(api!.output()).find((entry) => entry.requestId === requestId),
    );
    expect(line).not.toHaveProperty('trace_id');
    expect(line).not.toHaveProperty('span_id');
    expect(receiver.spans.length).toBe(before);
  });
});
