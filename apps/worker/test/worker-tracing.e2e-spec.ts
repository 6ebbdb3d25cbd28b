/**
 * @roadmap observability.tracing, messaging.background-jobs, testing.e2e
 * Look at the worker started with its tracing preload and an OTLP endpoint: each job it processes
 * arrives at a real OTLP/HTTP receiver as a consumer span named after its queue and job, under the
 * service name capstone-worker, and every line the worker logs about that job carries its trace_id.
 */
import { eventually, settledJob, startJobsStack, type JobsStack } from './support/jobs-stack';
import { WORKER_TRACING_PRELOAD, type WorkerProcess } from '../../api/test/support/worker-process';
import { startOtlpReceiver, type OtlpReceiver } from '../../api/test/support/otlp-receiver';

function entriesOf(worker: WorkerProcess): Record<string, unknown>[] {
  return worker
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('tracing of the worker', () => {
  let stack: JobsStack;
  let receiver: OtlpReceiver;
  let worker: WorkerProcess;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    stack = await startJobsStack({ label: 'worker_tracing' });
    worker = await stack.startWorker(
      {
        LOG_FORMAT: 'json',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '',
        OTEL_SERVICE_NAME: '',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
      ['-r', WORKER_TRACING_PRELOAD],
    );
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  it('sends one consumer span per job, and the job’s log lines carry its trace_id', async () => {
    const maintenance = stack.queue('maintenance');
    const job = await maintenance.add('no-op', { sentAt: Date.now() });
    expect(await (await settledJob(maintenance, job.id!)).getState()).toBe('completed');

    const span = await receiver.waitForSpan((each) => each.attributes['messaging.message.id'] === job.id);
    expect(span).toMatchObject({
      name: 'process maintenance no-op',
      kind: 5,
      serviceName: 'capstone-worker',
      attributes: expect.objectContaining({ 'messaging.system': 'bullmq', 'bullmq.job.attempt': 1 }),
    });

    const lines = await eventually('the job’s finish line', async () => {
      const ofJob = entriesOf(worker).filter((entry) => entry.jobId === job.id);
      return ofJob.some((entry) => 'durationMs' in entry) ? ofJob : undefined;
    });
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatchObject({ trace_id: span.traceId, span_id: span.spanId });
    // Outside a job (start-up), no trace fields.
    const ready = entriesOf(worker).find((entry) => /^worker ready/.test(String(entry.msg)));
    expect(ready).not.toHaveProperty('trace_id');
  });
});
