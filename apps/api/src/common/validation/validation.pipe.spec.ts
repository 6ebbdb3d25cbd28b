/**
 * @roadmap security.input-validation, security.mass-assignment, testing.unit
 * Look at how class-validator's nested errors become the spec's flat `{"errors": {"<field>": [...]}}`, and how an undeclared field such as `role` is refused.
 */
import type { ArgumentMetadata, ValidationError } from '@nestjs/common';
import { CreateArticleBody, ListArticlesQuery } from '../../articles/dto/article-bodies.dto';
import { RegisterUserBody, UpdateUserBody } from '../../users/dto/user-bodies.dto';
import { PageQuery } from '../dto/page-query.dto';
import { InvalidInputError } from '../errors/domain-errors';
import { ApiValidationPipe, fieldsContainingNul, flattenValidationErrors } from './validation.pipe';

const VALID_USER = { username: 'jake', email: 'jake@jake.jake', password: 'jakejakejake' };

function error(
  property: string,
  constraints?: Record<string, string>,
  children: ValidationError[] = [],
): ValidationError {
  return { property, constraints, children } as ValidationError;
}

describe('flattenValidationErrors', () => {
  it('drops the request envelope from the key, as the spec does', () => {
    const errors = [error('user', undefined, [error('email', { isEmail: 'is invalid' })])];
    expect(flattenValidationErrors(errors)).toEqual({ email: ['is invalid'] });
  });

  it.each(['user', 'article', 'comment'])('treats `%s` as an envelope', (envelope) => {
    expect(
      flattenValidationErrors([error(envelope, undefined, [error('body', { isNotEmpty: "can't be blank" })])]),
    ).toEqual({
      body: ["can't be blank"],
    });
  });

  it('keeps an envelope name that is itself the failing field', () => {
    expect(flattenValidationErrors([error('user', { isDefined: "can't be blank" })])).toEqual({
      user: ["can't be blank"],
    });
  });

  it('joins deeper paths with dots, and keeps names that are not envelopes', () => {
    const errors = [
      error('user', undefined, [error('address', undefined, [error('city', { maxLength: 'is too long' })])]),
      error('profile', undefined, [error('bio', { isString: 'must be a string' })]),
    ];
    expect(flattenValidationErrors(errors)).toEqual({
      'address.city': ['is too long'],
      'profile.bio': ['must be a string'],
    });
  });

  it('drops an envelope name only at the top level', () => {
    const errors = [
      error('meta', undefined, [error('user', undefined, [error('id', { isInt: 'must be a whole number' })])]),
    ];
    expect(flattenValidationErrors(errors)).toEqual({ 'meta.user.id': ['must be a whole number'] });
  });

  it('turns an unknown field into "is not an allowed field", whatever class-validator says', () => {
    const errors = [
      error('user', undefined, [error('role', { whitelistValidation: 'property role should not exist' })]),
    ];
    expect(flattenValidationErrors(errors)).toEqual({ role: ['is not an allowed field'] });
  });

  it('shows only the gate message when a value is missing or of the wrong type', () => {
    const constraints = {
      maxLength: 'is too long (maximum is 40 characters)',
      isString: 'must be a string',
      isNotEmpty: "can't be blank",
    };
    expect(flattenValidationErrors([error('username', constraints)])).toEqual({ username: ["can't be blank"] });
    expect(
      flattenValidationErrors([error('username', { matches: 'bad characters', isString: 'must be a string' })]),
    ).toEqual({
      username: ['must be a string'],
    });
  });

  it('shows every message when no gate constraint failed', () => {
    const constraints = { maxLength: 'is too long (maximum is 254 characters)', isEmail: 'is invalid' };
    expect(flattenValidationErrors([error('email', constraints)])).toEqual({
      email: ['is too long (maximum is 254 characters)', 'is invalid'],
    });
  });

  it('merges messages for the same key', () => {
    const errors = [
      error('user', undefined, [error('email', { isEmail: 'is invalid' })]),
      error('email', { maxLength: 'is too long' }),
    ];
    expect(flattenValidationErrors(errors)).toEqual({ email: ['is invalid', 'is too long'] });
  });

  it('leaves out an error that carries no messages', () => {
    expect(flattenValidationErrors([error('user', {}), error('user', undefined, [])])).toEqual({});
    expect(flattenValidationErrors([])).toEqual({});
  });
});

describe('ApiValidationPipe', () => {
  const pipe = new ApiValidationPipe();
  const asBody = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'body', metatype });

  /** Runs the pipe and returns the invalid-input error it throws, as the error body would show it. */
  async function rejectionOf(value: unknown, metadata: ArgumentMetadata) {
    try {
      await pipe.transform(value, metadata);
    } catch (thrown) {
      expect(thrown).toBeInstanceOf(InvalidInputError);
      return { kind: (thrown as InvalidInputError).kind, body: { errors: (thrown as InvalidInputError).details } };
    }
    throw new Error(`expected ${JSON.stringify(value)} to be rejected`);
  }

  it('passes a valid body through as an instance of its DTO', async () => {
    const result = (await pipe.transform({ user: VALID_USER }, asBody(RegisterUserBody))) as RegisterUserBody;
    expect(result).toBeInstanceOf(RegisterUserBody);
    expect(result.user).toEqual(VALID_USER);
  });

  it('answers a missing envelope with 422 on `user`', async () => {
    await expect(rejectionOf({}, asBody(RegisterUserBody))).resolves.toEqual({
      kind: 'invalid',
      body: { errors: { user: ["can't be blank"] } },
    });
  });

  it('names each missing field without the envelope, one message each', async () => {
    const { kind, body } = await rejectionOf({ user: {} }, asBody(RegisterUserBody));
    expect(kind).toBe('invalid');
    expect(body).toEqual({
      errors: { username: ["can't be blank"], email: ["can't be blank"], password: ["can't be blank"] },
    });
  });

  it('reports rule violations per field', async () => {
    const { body } = await rejectionOf(
      { user: { username: 'jake!', email: 'nope', password: 'short' } },
      asBody(RegisterUserBody),
    );
    expect(body).toEqual({
      errors: {
        username: ['may contain only letters, digits, "_" and "-"'],
        email: ['is invalid'],
        password: ['is too short (minimum is 8 characters)'],
      },
    });
  });

  it('reports a field of the wrong type as "must be a string"', async () => {
    const { body } = await rejectionOf({ user: { ...VALID_USER, password: 12345678 } }, asBody(RegisterUserBody));
    expect(body).toEqual({ errors: { password: ['must be a string'] } });
  });

  describe('mass assignment', () => {
    it.each([
      ['role', 'ADMIN'],
      ['id', 1],
      ['passwordHash', 'x'],
    ])('refuses an undeclared field inside the envelope: %s', async (field, value) => {
      const { kind, body } = await rejectionOf({ user: { ...VALID_USER, [field]: value } }, asBody(RegisterUserBody));
      expect(kind).toBe('invalid');
      expect(body).toEqual({ errors: { [field]: ['is not an allowed field'] } });
    });

    it('refuses an undeclared field next to the envelope', async () => {
      const { body } = await rejectionOf({ user: VALID_USER, role: 'ADMIN' }, asBody(RegisterUserBody));
      expect(body).toEqual({ errors: { role: ['is not an allowed field'] } });
    });

    it('refuses an undeclared field on an update too', async () => {
      const { body } = await rejectionOf({ user: { bio: 'hi', role: 'ADMIN' } }, asBody(UpdateUserBody));
      expect(body).toEqual({ errors: { role: ['is not an allowed field'] } });
    });

    it('refuses an author id slipped into an article', async () => {
      const article = { title: 't', description: 'd', body: 'b', authorId: 1 };
      const { body } = await rejectionOf({ article }, asBody(CreateArticleBody));
      expect(body).toEqual({ errors: { authorId: ['is not an allowed field'] } });
    });
  });

  it.each([
    ['a string', 'just a string'],
    ['a number', 42],
    ['null', null],
    ['an array', [{ user: VALID_USER }]],
    ['a boolean', true],
  ])('answers a body that is %s with 422 on `body`', async (_label, value) => {
    await expect(rejectionOf(value, asBody(RegisterUserBody))).resolves.toEqual({
      kind: 'invalid',
      body: { errors: { body: ['must be a JSON object'] } },
    });
  });

  it('reports list items of the wrong type once, on the list', async () => {
    const article = { title: 't', description: 'd', body: 'b', tagList: ['ok', 1] };
    const { body } = await rejectionOf({ article }, asBody(CreateArticleBody));
    expect(body).toEqual({ errors: { tagList: ['must be a list of strings'] } });
  });

  it('converts and checks query numbers explicitly', async () => {
    const query: ArgumentMetadata = { type: 'query', metatype: PageQuery };
    await expect(pipe.transform({ limit: '5', offset: '0' }, query)).resolves.toEqual({ limit: 5, offset: 0 });
    expect((await rejectionOf({ limit: 'ten' }, query)).body).toEqual({
      errors: { limit: ['must be a whole number'] },
    });
    expect((await rejectionOf({ limit: '500' }, query)).body).toEqual({ errors: { limit: ['must be at most 100'] } });
    expect((await rejectionOf({ offset: '-1' }, query)).body).toEqual({ errors: { offset: ['must be 0 or more'] } });
  });

  it('leaves a route parameter without a DTO alone', async () => {
    await expect(
      pipe.transform('how-to-train-your-dragon', { type: 'param', metatype: String, data: 'slug' }),
    ).resolves.toBe('how-to-train-your-dragon');
  });

  describe('query numbers accept plain decimal digits only', () => {
    const query: ArgumentMetadata = { type: 'query', metatype: PageQuery };

    it.each([
      ['a huge exponent', { offset: '1e308' }, 'offset', 'must be a whole number'],
      ['an exponent that is a whole number', { limit: '1e1' }, 'limit', 'must be a whole number'],
      ['hexadecimal', { limit: '0x10' }, 'limit', 'must be a whole number'],
      ['a fraction', { limit: '1.5' }, 'limit', 'must be a whole number'],
      ['surrounding spaces', { limit: ' 5' }, 'limit', 'must be a whole number'],
      ['an empty value', { offset: '' }, 'offset', 'must be a whole number'],
      ['a repeated parameter', { limit: ['1', '2'] }, 'limit', 'must be a whole number'],
      ['Infinity', { offset: 'Infinity' }, 'offset', 'must be a whole number'],
      ['more digits than any page', { offset: '99999999999999999999' }, 'offset', 'must be a whole number'],
      ['an offset past the deepest page', { offset: '100001' }, 'offset', 'must be at most 100000'],
      ['a limit of zero', { limit: '0' }, 'limit', 'must be at least 1'],
    ])('refuses %s', async (_label, value, field, message) => {
      expect((await rejectionOf(value, query)).body).toEqual({ errors: { [field]: [message] } });
    });

    it('accepts the bounds themselves', async () => {
      await expect(pipe.transform({ limit: '100', offset: '100000' }, query)).resolves.toEqual({
        limit: 100,
        offset: 100000,
      });
    });
  });

  describe('the NUL character', () => {
    it.each([
      ['a body field', { user: { ...VALID_USER, email: 'a\u0000@b.c' } }, asBody(RegisterUserBody), 'email'],
      [
        'a list item',
        { article: { title: 't', description: 'd', body: 'b', tagList: ['ok', 'x\u0000'] } },
        asBody(CreateArticleBody),
        'tagList',
      ],
      ['a query filter', { tag: '\u0000' }, { type: 'query', metatype: ListArticlesQuery } as ArgumentMetadata, 'tag'],
    ])('in %s answers 422 naming the field, before any other rule', async (_label, value, metadata, field) => {
      expect((await rejectionOf(value, metadata)).body).toEqual({
        errors: { [field]: ['must not contain the NUL character (\\u0000)'] },
      });
    });

    it('finds NUL anywhere in a value and names each field once', () => {
      expect(
        fieldsContainingNul({ user: { bio: '\u0000', image: 'ok', nested: { a: ['\u0000', '\u0000'] } } }),
      ).toEqual(['bio', 'nested.a']);
      expect(fieldsContainingNul({ user: { bio: 'fine' } })).toEqual([]);
      expect(fieldsContainingNul('\u0000')).toEqual(['body']);
    });
  });
});
