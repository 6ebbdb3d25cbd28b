/**
 * @roadmap databases.n-plus-one, apis.graphql
 * Look at where GraphQL could fall into N+1: a field resolved once per parent (the body of each
 * article in a list, the comments of each article). A DataLoader made for each request collects
 * every key asked for in one tick and loads them with one service call. Authors, tags, counts and
 * the viewer's favorite and follow state need no loader: the services already load them for a
 * whole page in one statement each (article.sql.ts, viewer-relations.ts).
 */
import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { ArticlesService } from '../articles/articles.service';
import type { Comment } from '../comments/comment.model';
import { CommentsService } from '../comments/comments.service';

export interface RequestLoaders {
  /** Article id -> body. */
  articleBody: DataLoader<number, string>;
  /** (article id, how many) -> the first comments of that article, oldest first. */
  firstComments: DataLoader<{ articleId: number; first: number }, Comment[], string>;
}

@Injectable()
export class RequestLoadersFactory {
  constructor(
    private readonly articles: ArticlesService,
    private readonly comments: CommentsService,
  ) {}

  /**
   * `viewerId` is read when a batch runs, after the guards have authenticated the request.
   * `cache: false` for subscriptions, whose context lives as long as the subscription does.
   */
  create(viewerId: () => number | undefined, { cache = true }: { cache?: boolean } = {}): RequestLoaders {
    return {
      articleBody: new DataLoader(
        async (ids) => {
          const bodies = await this.articles.bodiesOf(ids);
          // An article deleted between the list and this batch: an error for that field only.
          return ids.map((id) => bodies.get(id) ?? new Error(`article ${id} no longer exists`));
        },
        { cache },
      ),
      firstComments: new DataLoader(
        async (keys) => {
          // One batch may mix page sizes (aliases): one call per size, usually exactly one.
          const sizes = [...new Set(keys.map((key) => key.first))];
          const results = new Map<string, Comment[]>();
          for (const first of sizes) {
            const ids = keys.filter((key) => key.first === first).map((key) => key.articleId);
            const byArticle = await this.comments.firstOfEach(ids, first, viewerId());
            for (const id of ids) results.set(`${id}:${first}`, byArticle.get(id) ?? []);
          }
          return keys.map((key) => results.get(`${key.articleId}:${key.first}`) ?? []);
        },
        { cache, cacheKeyFn: (key) => `${key.articleId}:${key.first}` },
      ),
    };
  }
}
