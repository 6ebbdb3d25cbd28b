/** A TCP port free on 127.0.0.1 right now, for a server a test starts (Redis, searchd...). */
export { freePort } from '@capstone/database';
