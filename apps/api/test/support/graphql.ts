/**
 * @roadmap testing.e2e, apis.graphql
 * Look at the helpers GraphQL tests share: one to POST an operation over real HTTP and return
 * status and body, one to open a real WebSocket client (graphql-ws, the graphql-transport-ws
 * protocol) and collect what a subscription receives.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createClient, type Client } from 'graphql-ws';
import request from 'supertest';
import WebSocket from 'ws';

/** Response data as tests read it: by property, like a supertest body (which is `any` too). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyData = Record<string, any>;

export interface GraphqlError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; details?: Record<string, string[]>; [key: string]: unknown };
}

export interface GraphqlResponse<Data = AnyData> {
  status: number;
  data: Data | null | undefined;
  errors: GraphqlError[] | undefined;
  headers: Record<string, string>;
}

export async function graphql<Data = AnyData>(
  app: NestFastifyApplication,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphqlResponse<Data>> {
  const call = request(app.getHttpServer()).post('/graphql').send({ query, variables });
  if (token) call.set('Authorization', `Token ${token}`);
  const response = await call;
  return { status: response.status, data: response.body.data, errors: response.body.errors, headers: response.headers };
}

/** The `extensions.code` of each error, in order: the assertion most tests make. */
export function codesOf(response: { errors?: GraphqlError[] }): (string | undefined)[] {
  return (response.errors ?? []).map((error) => error.extensions?.code);
}

/** A graphql-ws client on `url` (ws://127.0.0.1:port/graphql); dispose it in the test. */
export function wsClient(url: string, token?: string): Client {
  return createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Token ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
}

export interface Subscription<T> {
  /** Resolves with the next event, or rejects after `timeoutMs`. */
  next(timeoutMs?: number): Promise<T>;
  /** Resolves when the server ends the subscription with an error (or closes). */
  failure: Promise<unknown>;
  /** Every event received so far. */
  received: T[];
  /** Resolves once the server has acknowledged the connection and the subscription is live. */
  stop(): void;
}

export function subscribe<T = AnyData>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Subscription<T> {
  const received: T[] = [];
  const waiting: ((value: T) => void)[] = [];
  let fail: (error: unknown) => void = () => undefined;
  const failure = new Promise<unknown>((resolve) => (fail = resolve));
  const stop = client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) fail(result.errors);
        const data = result.data as T;
        const waiter = waiting.shift();
        if (waiter) waiter(data);
        else received.push(data);
      },
      error: (error) => fail(error),
      complete: () => undefined,
    },
  );
  return {
    received,
    failure,
    stop,
    next(timeoutMs = 5_000) {
      const queued = received.shift();
      if (queued !== undefined) return Promise.resolve(queued);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no event within ${timeoutMs} ms`)), timeoutMs);
        waiting.push((value) => {
          clearTimeout(timer);
          resolve(value);
        });
      });
    },
  };
}

/**
 * Repeats `publish` until `subscription` has received something: the subscription is then live.
 * (A subscription is registered on the server a little after the client sends it; publishing in a
 * loop avoids guessing how long that takes.)
 */
export async function untilDelivered<T>(
  subscription: Subscription<T>,
  publish: () => Promise<unknown>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await publish();
    try {
      return await subscription.next(300);
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
}
