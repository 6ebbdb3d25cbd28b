import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Envelope } from '../../common/validation-decorators';

class NewComment {
  @IsNotEmpty({ message: "can't be blank" })
  @IsString({ message: 'must be a string' })
  @MaxLength(10_000, { message: 'is too long (maximum is 10000 characters)' })
  body!: string;
}

export class CreateCommentBody {
  @Envelope(() => NewComment)
  comment!: NewComment;
}
