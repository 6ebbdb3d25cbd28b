export {
  AppConfig,
  ConfigError,
  DATABASE_DEFAULTS,
  loadConfig,
  type CacheConfig,
  type DatabaseConfig,
  type GraphqlConfig,
  type JobsConfig,
  type MailConfig,
  type SearchConfig,
  type PasswordHashingConfig,
  type RateLimitConfig,
} from './config';
