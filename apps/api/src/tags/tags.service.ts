/**
 * @roadmap databases.indexes, apis.pagination
 * Look at the query: tags in use, most used first, counted by the database and capped, so the
 * answer stays small however many tags authors invent.
 */
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';

/** The spec's tags list feeds a "popular tags" sidebar: the most used hundred are plenty. */
export const POPULAR_TAGS_LIMIT = 100;

@Injectable()
export class TagsService {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Names of the tags used by at least one article, most used first; among equally used tags the
   * newest first, so that a tag just introduced shows up rather than being cut off by the cap.
   */
  async popular(limit = POPULAR_TAGS_LIMIT): Promise<string[]> {
    const tags = await this.prisma.tag.findMany({
      // A tag whose last article was deleted or retagged is no longer listed.
      where: { articles: { some: {} } },
      orderBy: [{ articles: { _count: 'desc' } }, { id: 'desc' }],
      select: { name: true },
      take: limit,
    });
    return tags.map((tag) => tag.name);
  }
}
