/**
 * @roadmap apis.graphql, auth.jwt, security.rate-limiting
 * Look at sign-up and sign-in over GraphQL: the same UsersService and TokenService calls as the
 * REST controller, and the same rate limits (per address, and failed logins per account), so
 * GraphQL is not a side door around the brute-force protection.
 */
import { UseGuards, type ExecutionContext } from '@nestjs/common';
import { Args, GqlExecutionContext, Mutation, Query, Resolver } from '@nestjs/graphql';
import { JwtAuthGuard, RequireScope } from '../auth/auth.guards';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { TokenService } from '../auth/token.service';
import { LimitFailedLogins, RateLimit } from '../rate-limit/rate-limit.decorators';
import { LoginUserDto, NewUserDto, UpdateUserDto } from './dto/user-bodies.dto';
import { ViewerType } from './user.type';
import { UsersService } from './users.service';

type Viewer = ViewerType;

/** The account a `login(input: {email})` is for, read before validation (like emailInBody for REST). */
function emailInLoginArgs(context: ExecutionContext): string | undefined {
  const email = GqlExecutionContext.create(context).getArgs<{ input?: { email?: unknown } }>().input?.email;
  return typeof email === 'string' && email.trim() !== '' ? email : undefined;
}

@Resolver(() => ViewerType)
export class UsersResolver {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokenService,
  ) {}

  @Query(() => ViewerType, { description: 'The signed-in user.' })
  @UseGuards(JwtAuthGuard)
  viewer(@CurrentUser() user: AuthenticatedUser): Viewer {
    return user;
  }

  @Mutation(() => ViewerType)
  @RateLimit('registration')
  async register(@Args('input') input: NewUserDto): Promise<Viewer> {
    const user = await this.users.register(input);
    return { ...user, token: await this.tokens.issue(user.id) };
  }

  @Mutation(() => ViewerType)
  @RateLimit('login')
  @LimitFailedLogins(emailInLoginArgs)
  async login(@Args('input') input: LoginUserDto): Promise<Viewer> {
    const user = await this.users.authenticate(input);
    return { ...user, token: await this.tokens.issue(user.id) };
  }

  @Mutation(() => ViewerType, { description: 'Changes only the fields sent; the token stays the same.' })
  @UseGuards(JwtAuthGuard)
  @RequireScope('account')
  async updateViewer(@Args('input') input: UpdateUserDto, @CurrentUser() current: AuthenticatedUser): Promise<Viewer> {
    const keep = { token: current.token, sessionId: current.credential.sessionId };
    return { ...(await this.users.update(current.id, input, keep)), token: current.token };
  }
}
