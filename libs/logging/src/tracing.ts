/**
 * @roadmap observability.tracing, observability.logging
 * Look at how tracing costs nothing until an OTLP endpoint is configured: only then is the
 * OpenTelemetry SDK required (before the app's modules, so http, Nest, pg and ioredis get
 * patched), with the noisy instrumentations (fs, dns, net...) left out; how every log line written
 * inside a span carries its trace_id and span_id; and how a stop flushes the spans, bounded in time.
 */
import { isSpanContextValid, trace } from '@opentelemetry/api';

/** What a stop waits for the last spans to reach the collector, at most. */
export const TRACING_SHUTDOWN_TIMEOUT_MS = 5_000;

/**
 * The instrumentations we keep (auto-instrumentations-node's short names). The others either do
 * not apply or drown a trace in one span per file read, DNS lookup or socket.
 */
export const TRACED_LIBRARIES = ['http', 'nestjs-core', 'pg', 'ioredis', 'graphql'];

/** The standard OTel variables that switch tracing on: either names where spans go. */
export function otlpTracesEndpoint(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || undefined;
}

interface RunningSdk {
  shutdown(): Promise<void>;
}

let running: RunningSdk | undefined;

/**
 * Starts the OpenTelemetry SDK when an OTLP endpoint is configured; does nothing (and loads
 * nothing of it) otherwise. Called by each process's preload (`node -r dist/tracing.js`).
 * Returns whether tracing is on.
 */
export function startTracing(defaultServiceName: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const endpoint = otlpTracesEndpoint(env);
  if (!endpoint || running) return Boolean(running);
  try {
    new URL(endpoint);
  } catch {
    // Before any app module: a clear line and exit 1, like the config check that runs next.
    console.error(
      `OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT is not a URL: "${endpoint}" (e.g. http://127.0.0.1:4318). Unset it to run without tracing.`,
    );
    process.exit(1);
  }
  env.OTEL_SERVICE_NAME ||= defaultServiceName;
  env.OTEL_NODE_ENABLED_INSTRUMENTATIONS ||= TRACED_LIBRARIES.join(',');
  // Required here, not imported at the top: with no endpoint, none of this is ever loaded.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { getNodeAutoInstrumentations } =
    require('@opentelemetry/auto-instrumentations-node') as typeof import('@opentelemetry/auto-instrumentations-node');
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const sdk = new NodeSDK({
    // OTLP/HTTP with JSON bodies; it reads the endpoint, headers and timeout variables itself.
    traceExporter: new OTLPTraceExporter(),
    instrumentations: [
      getNodeAutoInstrumentations({
        // Health probes every few seconds would be most of the spans, and tell nothing.
        '@opentelemetry/instrumentation-http': {
          ignoreIncomingRequestHook: (request) => /\/api\/health(\/|$|\?)/.test(request.url ?? ''),
        },
        // A query or Redis call outside any request or job (outbox polling, BullMQ's own loop)
        // would be a trace of one span, every second: only those inside a trace are kept.
        '@opentelemetry/instrumentation-pg': { requireParentSpan: true },
        '@opentelemetry/instrumentation-ioredis': { requireParentSpan: true },
      }),
    ],
    // Traces only: metrics have their own endpoint, and logs go to standard output.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  running = sdk;
  return true;
}

/**
 * Flushes the spans not yet sent and stops the SDK, giving up after `timeoutMs` (a collector that
 * is down must not hold a stop hostage). A no-op when tracing is off. The process's own signal
 * handler calls it last, after the app has closed, so the spans of its last requests are in.
 */
export async function shutdownTracing(timeoutMs = TRACING_SHUTDOWN_TIMEOUT_MS): Promise<void> {
  const sdk = running;
  if (!sdk) return;
  running = undefined;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    sdk.shutdown().catch((error: unknown) => console.error('tracing: flushing the last spans failed:', error)),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs).unref())),
  ]);
  clearTimeout(timer);
}

/**
 * The log-correlation fields of the active span (OTel's `trace_id`, `span_id`, `trace_flags`), or
 * nothing outside a span. With no SDK registered there never is one: the API package alone is a
 * set of no-ops.
 */
export function traceLogFields(): { trace_id?: string; span_id?: string; trace_flags?: string } {
  const context = trace.getActiveSpan()?.spanContext();
  if (!context || !isSpanContextValid(context)) return {};
  return {
    trace_id: context.traceId,
    span_id: context.spanId,
    trace_flags: `0${context.traceFlags.toString(16)}`.slice(-2),
  };
}
