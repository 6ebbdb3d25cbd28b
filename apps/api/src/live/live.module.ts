/**
 * @roadmap messaging.pub-sub
 * Look at a global module with one emitter per process, shared by the services that publish and
 * the GraphQL subscriptions that listen.
 */
import { Global, Module } from '@nestjs/common';
import { LiveUpdates } from './live-updates';

@Global()
@Module({ providers: [LiveUpdates], exports: [LiveUpdates] })
export class LiveModule {}
