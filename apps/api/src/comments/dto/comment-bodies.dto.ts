import { Type } from 'class-transformer';
import { IsDefined, IsNotEmpty, IsString, MaxLength, ValidateNested } from 'class-validator';

class NewComment {
  @IsNotEmpty({ message: "can't be blank" })
  @IsString({ message: 'must be a string' })
  @MaxLength(10_000, { message: 'is too long (maximum is 10000 characters)' })
  body!: string;
}

export class CreateCommentBody {
  @IsDefined({ message: "can't be blank" })
  @ValidateNested()
  @Type(() => NewComment)
  comment!: NewComment;
}
