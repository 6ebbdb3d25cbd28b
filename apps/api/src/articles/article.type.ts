/**
 * @roadmap apis.graphql, apis.pagination
 * Look at the article's GraphQL type and its connection: every field a REST client sees, with
 * dates as `DateTime`, plus `comments(first)`, which REST would need a second request for.
 */
import { Field, Int, ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '../graphql/connection';
import { ProfileType } from '../profiles/profile.type';
import type { Profile } from '../profiles/profile.model';

@ObjectType('Article')
export class ArticleType {
  @Field()
  slug!: string;

  @Field()
  title!: string;

  @Field()
  description!: string;

  // `body` and `comments` are resolved in articles.resolver.ts (lists do not load them).

  @Field(() => [String], { description: 'In the order the author gave.' })
  tagList!: string[];

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;

  @Field({ description: 'Whether the viewer favorited it; false for an anonymous viewer.' })
  favorited!: boolean;

  @Field(() => Int)
  favoritesCount!: number;

  @Field(() => ProfileType)
  author!: Profile;
}

export const ArticleConnection = ConnectionType(ArticleType, 'Article');
