/**
 * @roadmap design.dependency-injection, architecture.hexagonal
 * Look at how the port becomes injectable: one provider builds the configured engine with the
 * API's own Postgres pool (so searching on Postgres costs no extra connections) and closes it on
 * shutdown; the service asks for SEARCH_ENGINE and never learns which engine it got.
 */
import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { AppConfig } from '@capstone/config';
import { createSearchEngine, type SearchEngine } from '@capstone/search';
import { PrismaService } from '../database/prisma.service';

export const SEARCH_ENGINE = Symbol('SearchEngine');

export const searchEngineProvider: Provider = {
  provide: SEARCH_ENGINE,
  inject: [AppConfig, PrismaService],
  useFactory: (config: AppConfig, prisma: PrismaService): SearchEngine =>
    createSearchEngine(config.search, { pool: prisma.pool }),
};

/** Closes the engine's own connections (Sphinx, Elasticsearch) when the app stops. */
@Injectable()
export class SearchEngineShutdown implements OnApplicationShutdown {
  constructor(@Inject(SEARCH_ENGINE) private readonly engine: SearchEngine) {}

  async onApplicationShutdown(): Promise<void> {
    await this.engine.close();
  }
}
