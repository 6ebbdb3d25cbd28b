export { ACCOUNT_TOKEN_TTL_MS, accountTokenDigest, newAccountToken, type AccountTokenPurpose } from './account-tokens';
export { eventFromRow, outboxRow, type DomainEvent, type DomainEventType, type StoredEvent } from './events';
export {
  jobOptions,
  jobsFor,
  readJob,
  QUEUES,
  schedules,
  type JobName,
  type JobSpec,
  type KeyedJob,
  type QueueName,
} from './queues';
export { JobHandlers, startOfWeek, type JobHandlerDeps, type JobOutcome } from './handlers';
export { OutboxRelay, type OutboxDispatcher, type OutboxRelayOptions } from './outbox-relay';
export { bullConnection, bullPrefix, closeQueues, createQueues, enqueue, QueueDispatcher, type Queues } from './bullmq';
export { DirectDispatcher, DirectScheduler, runWithFollowUps } from './direct';
export { isPermanentJobFailure, PermanentJobError } from './failures';
export {
  createMetricsRegistry,
  registerOutboxMetrics,
  registerPoolMetrics,
  registerQueueMetrics,
  SCRAPE_TIMEOUT_MS,
  withTimeout,
} from './metrics';
