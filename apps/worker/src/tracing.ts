/**
 * @roadmap observability.tracing
 * Look at the worker's preload (`node -r ./dist/tracing.js dist/main.js`): the same as the API's,
 * under its own service name, so its job spans and their pg and ioredis calls show up as
 * `capstone-worker`.
 */
import { startTracing } from '@capstone/logging';

startTracing('capstone-worker');
