/**
 * @roadmap observability.tracing
 * Look at the preload the API starts with (`node -r ./dist/tracing.js dist/main.js`): it runs
 * before any module of the app, so OpenTelemetry can patch http, Nest, pg and ioredis as they are
 * first required; with no OTLP endpoint configured it starts nothing.
 */
import { startTracing } from '@capstone/logging';

startTracing('capstone-api');
