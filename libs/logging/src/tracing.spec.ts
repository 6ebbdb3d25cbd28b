/**
 * @roadmap observability.tracing, testing.unit
 * Look at which variable switches tracing on (the traces-specific one wins, blank counts as
 * unset), and that without an SDK a log line gains no trace fields. The spans themselves are
 * tested on the built processes against a real OTLP receiver (apps/api/test/tracing.e2e-spec.ts).
 */
import { createLogger } from './logger';
import { captureLines } from './testing/capture-lines';
import { otlpTracesEndpoint, shutdownTracing, startTracing, traceLogFields } from './tracing';

describe('tracing switch', () => {
  it('is off with neither OTLP endpoint, or only blank ones', () => {
    expect(otlpTracesEndpoint({})).toBeUndefined();
    expect(
      otlpTracesEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '' }),
    ).toBeUndefined();
    expect(startTracing('capstone-test', {})).toBe(false);
  });

  it('takes the traces endpoint before the general one', () => {
    expect(otlpTracesEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318' })).toBe('http://a:4318');
    expect(
      otlpTracesEndpoint({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:4318/v1/traces',
      }),
    ).toBe('http://b:4318/v1/traces');
  });

  it('adds no trace fields to a line when no span is active, and shutting down is a no-op', async () => {
    expect(traceLogFields()).toEqual({});
    const lines = captureLines();
    createLogger({ name: 'api', level: 'info', format: 'json', destination: lines }).info('no span');
    expect(lines.entries()[0]).not.toHaveProperty('trace_id');
    await expect(shutdownTracing(10)).resolves.toBeUndefined();
  });
});
