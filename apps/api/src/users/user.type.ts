/**
 * @roadmap apis.graphql, auth.jwt
 * Look at the signed-in user as GraphQL returns it: the same fields as the RealWorld `User`,
 * including the token to send as `Authorization: Token <token>` (or in `connection_init`).
 */
import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType('Viewer', { description: 'The signed-in user, with the token that authenticates them.' })
export class ViewerType {
  @Field()
  email!: string;

  @Field()
  username!: string;

  @Field(() => String, { nullable: true })
  bio!: string | null;

  @Field(() => String, { nullable: true })
  image!: string | null;

  @Field()
  token!: string;
}
