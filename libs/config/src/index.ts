export {
  AppConfig,
  ConfigError,
  DATABASE_DEFAULTS,
  loadConfig,
  type CacheConfig,
  type DatabaseConfig,
  type PasswordHashingConfig,
  type RateLimitConfig,
} from './config';
