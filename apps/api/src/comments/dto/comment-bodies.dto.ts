/**
 * @roadmap security.input-validation, apis.openapi
 * Look at the comment body's limit, stated once for the check and the OpenAPI schema.
 */
import { Field, InputType } from '@nestjs/graphql';
import { ApiSchema } from '@nestjs/swagger';
import { Envelope, RequiredText } from '../../common/validation/fields';
import { COMMENT_MAX_LENGTH } from '../comment.model';

@ApiSchema({ name: 'NewComment' })
@InputType('NewCommentInput')
export class NewCommentDto {
  @Field()
  @RequiredText({ max: COMMENT_MAX_LENGTH, example: 'It takes a Jacobian' })
  body!: string;
}

@ApiSchema({ name: 'NewCommentRequest' })
export class CreateCommentBody {
  @Envelope(() => NewCommentDto)
  comment!: NewCommentDto;
}
