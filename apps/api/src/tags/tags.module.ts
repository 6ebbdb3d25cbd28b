/**
 * @roadmap frameworks.nestjs
 * Look at the smallest feature module: a controller for the transport, a service for the rule,
 * the service exported for other transports.
 */
import { Module } from '@nestjs/common';
import { TagsController } from './tags.controller';
import { TagsService } from './tags.service';
import { TagsResolver } from './tags.resolver';

@Module({ controllers: [TagsController], providers: [TagsService, TagsResolver], exports: [TagsService] })
export class TagsModule {}
