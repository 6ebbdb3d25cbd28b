/**
 * @roadmap apis.openapi, security.input-validation, testing.contract
 * Look at how the test reads every validation rule the DTOs enforce (class-validator's metadata)
 * and fails when the served OpenAPI document does not state it: a max length, a pattern, a format,
 * a bound, a required field. The document can never promise a client less than the API checks.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import request from 'supertest';
import { createTestApp } from './support/test-app';

type Schema = {
  type?: string;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  items?: Schema;
  required?: string[];
  properties?: Record<string, Schema>;
  $ref?: string;
};
type Parameter = { name: string; in: string; required?: boolean; schema: Schema };
type Document = {
  paths: Record<string, Record<string, { parameters?: Parameter[] }>>;
  components: { schemas: Record<string, Schema> };
};

/** What one class-validator rule must look like in the property's OpenAPI schema. */
function problemsWith(rule: ValidationMetadata, property: Schema | undefined): string[] {
  if (!property) return ['is not in the document at all'];
  const schema = rule.each ? property.items : property;
  if (!schema) return [`${rule.name}: the list's items have no schema`];
  const [value] = (rule.constraints ?? []) as unknown[];
  const expect = (keyword: keyof Schema, wanted: unknown, ok = schema[keyword] === wanted) =>
    ok
      ? []
      : [
          `${rule.name}(${String(value ?? '')}) needs ${keyword}=${String(wanted)}, the document says ${String(schema[keyword])}`,
        ];
  switch (rule.name) {
    case 'maxLength':
      return expect('maxLength', value);
    case 'minLength':
      return expect('minLength', value);
    case 'isNotEmpty':
      return expect('minLength', '>= 1', (schema.minLength ?? 0) >= 1);
    case 'matches':
      return expect('pattern', (value as RegExp).source);
    case 'isEmail':
      return expect('format', 'email');
    case 'isUrl':
      return expect('format', 'uri');
    case 'isString':
      return expect('type', 'string');
    case 'isInt':
      return expect('type', 'integer');
    case 'min':
      return expect('minimum', value);
    case 'max':
      return expect('maximum', value);
    case 'isArray':
      return expect('type', 'array');
    case 'arrayMaxSize':
      return expect('maxItems', value);
    case 'isObject':
      return expect('$ref', 'a reference to the nested schema', typeof schema.$ref === 'string');
    default:
      // A rule this test does not know yet: teach it, rather than let the rule go unchecked.
      return [`rule "${rule.name ?? rule.type}" is not known to this test`];
  }
}

/** Rule types that say when to validate, not what is valid: nothing to show in a schema. */
const STRUCTURAL: string[] = ['conditionalValidation', 'nestedValidation', 'whitelistValidation', 'isDefined'];

/** A DTO class, as class-validator keys its metadata. */
type DtoClass = abstract new (...args: never[]) => unknown;

function schemaNameOf(dto: DtoClass): string | undefined {
  const options = Reflect.getMetadata('swagger/apiSchema', dto) as Array<{ name?: string }> | undefined;
  return options?.at(-1)?.name;
}

describe('the OpenAPI document states every validation rule', () => {
  let app: NestFastifyApplication;
  let document: Document;
  /** Every DTO class the app has loaded, with all its rules (inherited ones included). */
  const dtos = new Map<DtoClass, ValidationMetadata[]>();

  beforeAll(async () => {
    app = await createTestApp();
    document = (await request(app.getHttpServer()).get('/api/openapi.json').expect(200)).body;
    const storage = getMetadataStorage() as unknown as {
      validationMetadatas: Map<DtoClass, ValidationMetadata[]>;
      getTargetValidationMetadatas(
        target: DtoClass,
        schema: string,
        always: boolean,
        strict: boolean,
      ): ValidationMetadata[];
    };
    for (const target of storage.validationMetadatas.keys()) {
      dtos.set(target, storage.getTargetValidationMetadatas(target, '', false, false));
    }
  });
  afterAll(async () => {
    await app.close();
  });

  it('has found the DTOs (a guard against checking nothing)', () => {
    const names = [...dtos.keys()].map((dto) => schemaNameOf(dto) ?? dto.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'NewUser',
        'UpdateUser',
        'NewArticleRequest',
        'NewComment',
        'PageQuery',
        'ListArticlesQuery',
      ]),
    );
  });

  it('every body DTO: each rule on each field appears in its component schema, and required fields are required', () => {
    const problems: string[] = [];
    for (const [dto, rules] of dtos) {
      const name = schemaNameOf(dto);
      if (!name) continue; // query DTOs: next test
      const schema = document.components.schemas[name];
      if (!schema) {
        problems.push(`${name}: no component schema`);
        continue;
      }
      for (const rule of rules.filter((r) => !STRUCTURAL.includes(r.type) && !STRUCTURAL.includes(r.name ?? ''))) {
        for (const problem of problemsWith(rule, schema.properties?.[rule.propertyName])) {
          problems.push(`${name}.${rule.propertyName}: ${problem}`);
        }
      }
      const conditional = new Set(rules.filter((r) => r.type === 'conditionalValidation').map((r) => r.propertyName));
      for (const property of new Set(rules.map((r) => r.propertyName))) {
        const required = schema.required?.includes(property) ?? false;
        if (required === conditional.has(property)) {
          problems.push(`${name}.${property}: required is ${required} in the document, not in the DTO`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('every query DTO: some operation documents all its parameters with all their rules', () => {
    const operations = Object.values(document.paths).flatMap((methods) => Object.values(methods));
    const problems: string[] = [];
    for (const [dto, rules] of dtos) {
      if (schemaNameOf(dto)) continue;
      // GraphQL-only argument classes (ArticleFilterInput, SearchArgs) are not REST parameters:
      // docs/schema.graphql documents them, and the GraphQL tests check their rules.
      if (/(?:Args|Input)$/.test(dto.name)) continue;
      const checkedRules = rules.filter((r) => !STRUCTURAL.includes(r.type) && !STRUCTURAL.includes(r.name ?? ''));
      // A parameter is optional exactly when its DTO field is (IsOptional / ValidateIf), as for bodies.
      const optional = new Set(rules.filter((r) => r.type === 'conditionalValidation').map((r) => r.propertyName));
      const matching = operations.filter((operation) =>
        checkedRules.every((rule) => {
          const parameter = operation.parameters?.find((p) => p.in === 'query' && p.name === rule.propertyName);
          return (
            parameter !== undefined &&
            (parameter.required === true) === !optional.has(rule.propertyName) &&
            problemsWith(rule, parameter.schema).length === 0
          );
        }),
      );
      if (matching.length === 0) problems.push(`${dto.name}: no operation documents all of its query rules`);
    }
    expect(problems).toEqual([]);
  });
});
