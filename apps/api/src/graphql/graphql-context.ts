/**
 * @roadmap apis.graphql
 * Look at what every resolver can reach besides its arguments: the request (for the guards, over
 * HTTP; built from `connection_init` over WebSockets), this request's DataLoaders, and Mercurius's
 * pub/sub for subscriptions.
 */
import type { PubSub } from 'mercurius';
import type { RequestLike } from '../common/request-of';
import type { RequestLoaders } from './request-loaders';

export interface GraphqlContext {
  req: RequestLike;
  loaders: RequestLoaders;
  pubsub: PubSub;
}
