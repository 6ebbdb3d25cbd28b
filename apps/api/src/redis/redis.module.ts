/**
 * @roadmap frameworks.nestjs
 * Look at a global module: one RedisConnection for the whole application, injected wherever a
 * feature needs Redis, closed once on shutdown.
 */
import { Global, Module } from '@nestjs/common';
import { RedisConnection } from './redis-connection';

@Global()
@Module({ providers: [RedisConnection], exports: [RedisConnection] })
export class RedisModule {}
