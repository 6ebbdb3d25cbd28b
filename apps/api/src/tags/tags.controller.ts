/**
 * @roadmap apis.rest
 * Look at a transport with nothing to unwrap: the controller asks the service and wraps the
 * answer in the spec's envelope.
 */
import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PubliclyCacheable } from '../common/http/http-caching';
import { ApiEndpoint } from '../openapi/api-endpoint.decorator';
import { TagsService } from './tags.service';

@ApiTags('Tags')
@Controller('tags')
export class TagsController {
  constructor(private readonly tags: TagsService) {}

  @Get()
  @ApiEndpoint({
    operationId: 'GetTags',
    summary: 'The 100 most used tags, most used first',
    auth: 'none',
    success: { status: 200, schema: 'TagsResponse', description: 'Tags' },
    errors: [422],
  })
  @PubliclyCacheable()
  async list() {
    return { tags: await this.tags.popular() };
  }
}
