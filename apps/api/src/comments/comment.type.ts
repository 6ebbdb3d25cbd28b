/**
 * @roadmap apis.graphql
 * Look at the comment type: dates are `DateTime` scalars (ISO 8601) and the id is an opaque `ID`,
 * as GraphQL clients expect; the author is a full `Profile`.
 */
import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ProfileType } from '../profiles/profile.type';
import type { Profile } from '../profiles/profile.model';

@ObjectType('Comment')
export class CommentType {
  @Field(() => ID)
  id!: number;

  @Field()
  body!: string;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;

  @Field(() => ProfileType)
  author!: Profile;
}
