/**
 * @roadmap frameworks.nestjs, design.dependency-injection, architecture.monolith
 * Look at how the application is assembled from feature modules, each with its own controller
 * and service, and how the validated configuration and the database connection are handed in
 * from outside (bootstrap.ts) so tests can build the same app on their own database.
 */
import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from '@capstone/config';
import { ArticlesModule } from './articles/articles.module';
import { CommentsModule } from './comments/comments.module';
import { DatabaseConnection } from './database/database-connection';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { ProfilesModule } from './profiles/profiles.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { RedisModule } from './redis/redis.module';
import { CacheModule } from './cache/cache.module';
import { JobsModule } from './jobs/jobs.module';
import { MetricsModule } from './metrics/metrics.module';
import { SearchModule } from './search/search.module';
import { TagsModule } from './tags/tags.module';
import { UsersModule } from './users/users.module';
import { AccountsModule } from './accounts/accounts.module';
import { SessionsModule } from './sessions/sessions.module';
import { OAuthModule } from './oauth/oauth.module';
import { GraphqlModule } from './graphql/graphql.module';
import { LiveModule } from './live/live.module';
import { AccessTokensModule } from './access-tokens/access-tokens.module';
import { ModerationModule } from './moderation/moderation.module';

/** Makes the validated configuration injectable everywhere: `constructor(config: AppConfig)`. */
@Global()
@Module({})
class ConfigModule {
  static forConfig(config: AppConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: AppConfig, useValue: config }], exports: [AppConfig] };
  }
}

@Module({})
export class AppModule {
  /** Config and database are resolved before Nest starts (see bootstrap.ts), then handed in here. */
  static register(config: AppConfig, connection: DatabaseConnection): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forConfig(config),
        DatabaseModule.forConnection(connection),
        RedisModule,
        LiveModule,
        RateLimitModule,
        CacheModule,
        JobsModule,
        MetricsModule,
        HealthModule,
        UsersModule,
        AccountsModule,
        SessionsModule,
        OAuthModule,
        ProfilesModule,
        ArticlesModule,
        CommentsModule,
        TagsModule,
        SearchModule,
        GraphqlModule,
        AccessTokensModule,
        ModerationModule,
      ],
    };
  }
}
