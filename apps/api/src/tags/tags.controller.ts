/**
 * @roadmap apis.rest, databases.indexes
 * Look at the ordering: tags in use, most used first, counted by the database.
 */
import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '../openapi/api-endpoint.decorator';
import { PrismaService } from '../database/prisma.service';

@ApiTags('Tags')
@Controller('tags')
export class TagsController {
  constructor(private readonly prisma: PrismaService) {}

  @Get()
  @ApiEndpoint({
    operationId: 'GetTags',
    summary: 'Tags in use, most used first',
    auth: 'none',
    success: { status: 200, schema: 'TagsResponse', description: 'Tags' },
    errors: [422],
  })
  async list() {
    const tags = await this.prisma.tag.findMany({
      // A tag whose last article was deleted or retagged is no longer listed.
      where: { articles: { some: {} } },
      orderBy: [{ articles: { _count: 'desc' } }, { name: 'asc' }],
      select: { name: true },
    });
    return { tags: tags.map((tag) => tag.name) };
  }
}
