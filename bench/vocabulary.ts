/**
 * Words the seeder builds its users, titles, bodies and tags from. Some contain what JSON and SQL
 * must escape (quotes, a backslash, non-ASCII letters, new lines are added between paragraphs), so
 * the equality check between the API and the baseline also covers serialisation.
 */

/** Usernames are these plus the user's id ("Ada1", "grace2"): mixed case, as people type them. */
// prettier-ignore
export const FIRST_NAMES = [
  'Ada', 'grace', 'Linus', 'margaret', 'Alan', 'Barbara', 'Ken', 'dennis', 'Edsger', 'Donald',
  'Radia', 'Frances', 'Tim', 'vint', 'Bjarne', 'Guido', 'Anders', 'Ryan', 'Yukihiro', 'Rasmus',
  'Brendan', 'james', 'Larry', 'Hedy', 'Katherine', 'Dorothy', 'Annie', 'Jean', 'Sophie', 'Leslie',
  'Niklaus', 'John', 'Shafi', 'Silvio', 'Whitfield', 'Ralph', 'Martin', 'Ward', 'Kent', 'Rich',
];

export const BIOS = [
  'Writes about databases and the queries that hurt them.',
  'Backend engineer. Likes boring technology that works.',
  'Ships small pull requests, reads EXPLAIN plans for fun.',
  'Café-powered developer from Zürich.',
  'Teaches "just enough" distributed systems.',
  'Formerly on call, now writing runbooks so others sleep.',
  'Open-source maintainer; answers issues on weekends.',
  'Measures first, optimises second.',
];

export const TITLE_LEADS = [
  'Understanding',
  'A practical guide to',
  'Ten lessons about',
  'Debugging',
  'Scaling',
  'Why I switched to',
  'The hidden cost of',
  'Getting started with',
  'What nobody tells you about',
  'Benchmarking',
  'Café notes on',
  '“Zero-downtime” tricks for',
];

export const TITLE_TOPICS = [
  'Postgres',
  'Node.js',
  'TypeScript',
  'Redis',
  'NestJS',
  'Fastify',
  'Kubernetes',
  'Docker',
  'GraphQL',
  'REST APIs',
  'JWT',
  'OAuth',
  'caching',
  'indexes',
  'transactions',
  'message queues',
  'WebSockets',
  'testing',
  'observability',
  'rate limiting',
  'migrations',
  'connection pools',
  'query plans',
  'the event loop',
];

export const DESCRIPTIONS = [
  'What I learned after a year in production.',
  'A short tour with runnable examples.',
  'Measured, not guessed: numbers from a real workload.',
  'The mistakes I made so that you do not have to.',
  'From the first prototype to a service that pages nobody.',
  'A checklist for your next code review.',
  'Notes from a conference talk, expanded.',
  'Why the default settings were not enough for us.',
  'How a five-line change cut our p99 in half.',
  'Everything in one place, with links to the sources.',
];

export const BODY_SENTENCES = [
  'Start by measuring: a guess about where the time goes is wrong more often than it is right.',
  'The query planner is smarter than most of us, but it can only use the indexes you give it.',
  'Every network round trip costs more than the work it carries when the payload is small.',
  'We kept the first version deliberately simple and added caching only where the profile showed a need.',
  'Never build SQL by concatenation: "SELECT * FROM users WHERE name = \'" + name + "\'" is an injection.',
  'A connection pool that is too large hurts as much as one that is too small.',
  'Write the test first, then make it pass, then make it fast; in that order.',
  'Counters kept by triggers turned a full-table aggregate into a single indexed read.',
  'Windows paths such as C:\\Users\\build look harmless until they reach a JSON string.',
  'Cache invalidation is only hard when you do not know which writes change which reads.',
  'The p99 latency is what your users remember; the average is what your dashboard shows.',
  'Back-pressure beats buffering: refuse work you cannot finish instead of queueing it forever.',
  'Structured logs with a request id made the incident review take an hour instead of a day.',
  'Timeouts belong on every call that leaves the process, with a budget that shrinks as it goes.',
  'Idempotent handlers let you retry without fear, which is most of what reliability means.',
  'Offset pagination is fine for the first pages and a trap for the thousandth one.',
  'Run the migration on a copy of production data before you run it on production.',
  'Keep secrets out of the repository and out of the logs; rotate them as if they had leaked.',
  'Naïve benchmarks measure the benchmark; warm up, repeat, and compare in the same run.',
  'Small pull requests get real reviews, big ones get a thumbs-up emoji.',
  'Document the decision, not just the code: the next engineer needs to know why.',
  'A health check that tests every dependency will restart healthy processes during an outage.',
  'JSON is a fine format until someone sends a number with forty digits.',
  'Ship it behind a flag, watch the metrics, then remove the flag within a week.',
];

/** Single words for tags; more tags are made by joining two ("postgres-redis"). No hyphens here. */
// prettier-ignore
export const TAG_WORDS = [
  'postgres', 'nodejs', 'typescript', 'redis', 'nestjs', 'fastify', 'kubernetes', 'docker', 'graphql',
  'rest', 'jwt', 'oauth', 'caching', 'indexes', 'transactions', 'queues', 'websockets', 'testing',
  'observability', 'security', 'migrations', 'performance', 'architecture', 'devops', 'linux', 'http',
  'tls', 'dns', 'git', 'ci', 'cloud', 'serverless', 'microservices', 'monolith', 'ddd', 'cqrs', 'events',
  'search', 'elasticsearch', 'logging', 'metrics', 'tracing', 'sql', 'nosql', 'mongodb', 'kafka',
  'rabbitmq', 'golang', 'rust', 'python',
];

/** `count` distinct tag names: the words, then pairs of words, then numbered tags if more are asked for. */
export function tagNames(count: number): string[] {
  const n = TAG_WORDS.length;
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (i < n) {
      names.push(TAG_WORDS[i]);
    } else if (i < n * n) {
      // Pair k = (first word, offset): distinct pairs for k < n(n-1), so distinct names.
      const k = i - n;
      const first = k % n;
      const second = (first + 1 + Math.floor(k / n)) % n;
      names.push(`${TAG_WORDS[first]}-${TAG_WORDS[second]}`);
    } else {
      names.push(`tag${i}`);
    }
  }
  return names;
}
