/**
 * @roadmap apis.graphql
 * Look at the GraphQL face of a profile: the same domain value the REST presenter shows, with only
 * the fields declared here visible (the internal `id` never is).
 */
import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType('Profile', { description: 'A user as another user (the viewer) sees them.' })
export class ProfileType {
  @Field()
  username!: string;

  @Field(() => String, { nullable: true })
  bio!: string | null;

  @Field(() => String, { nullable: true })
  image!: string | null;

  @Field({ description: 'Whether the viewer follows this user; false for an anonymous viewer.' })
  following!: boolean;
}
