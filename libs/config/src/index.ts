export { AppConfig, ConfigError, DATABASE_DEFAULTS, loadConfig, type DatabaseConfig } from './config';
