/**
 * @roadmap frameworks.nestjs, architecture.hexagonal
 * Look at the search feature wired together: the engine adapter from configuration (one provider),
 * the service over it, the REST transport; the service is exported for other transports.
 */
import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ProfilesModule } from '../profiles/profiles.module';
import { SEARCH_ENGINE, searchEngineProvider, SearchEngineShutdown } from './search-engine.provider';
import { SearchController } from './search.controller';
import { SearchService } from './search.service';
import { SearchResolver } from './search.resolver';

@Module({
  imports: [AuthModule, ProfilesModule],
  controllers: [SearchController],
  providers: [searchEngineProvider, SearchEngineShutdown, SearchService, SearchResolver],
  // The engine too: readiness pings it.
  exports: [SearchService, SEARCH_ENGINE],
})
export class SearchModule {}
