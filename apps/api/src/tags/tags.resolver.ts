/**
 * @roadmap apis.graphql
 * Look at a resolver that is one line: the popular tags, from the same cached TagsService call.
 */
import { Query, Resolver } from '@nestjs/graphql';
import { TagsService } from './tags.service';

@Resolver()
export class TagsResolver {
  constructor(private readonly tagService: TagsService) {}

  @Query(() => [String], { description: 'The most used tags, most used first.' })
  tags(): Promise<string[]> {
    return this.tagService.popular();
  }
}
