export { AppConfig, ConfigError, loadConfig } from './config';
