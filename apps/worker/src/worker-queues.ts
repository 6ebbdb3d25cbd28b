/**
 * @roadmap messaging.message-brokers
 * Look at the queues the worker adds to (the relay's jobs, fan-outs, the schedules), gathered
 * from the registrations of @nestjs/bullmq into the record the shared job code expects.
 */
import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QUEUES, type Queues } from '@capstone/jobs';

@Injectable()
export class WorkerQueues {
  readonly all: Queues;

  constructor(
    @InjectQueue(QUEUES.searchIndex) searchIndex: Queue,
    @InjectQueue(QUEUES.notifications) notifications: Queue,
    @InjectQueue(QUEUES.maintenance) maintenance: Queue,
  ) {
    this.all = { 'search-index': searchIndex, notifications, maintenance };
  }
}
