/**
 * @roadmap apis.openapi
 * Look at how the document is built from the controllers at start-up and served as JSON, with
 * Swagger UI's assets served by the app itself so the docs work offline.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { TOKEN_SECURITY } from './api-endpoint.decorator';
import { COMPONENT_SCHEMAS } from './schemas';

export const OPENAPI_JSON_PATH = 'api/openapi.json';
export const SWAGGER_UI_PATH = 'docs';

export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Backend Roadmap Capstone: RealWorld Conduit API')
    .setDescription(
      'The RealWorld "Conduit" API as implemented by this project. Errors always have the shape ' +
        '`{"errors": {"<field>": ["<message>"]}}`. Besides the statuses listed per operation, any ' +
        'request with a body may get 400 (malformed or too deeply nested JSON), 413 (body over the ' +
        "route's limit) or 415 (not JSON); any request may get 429 with `Retry-After` over a rate " +
        'limit, and 503 with `Retry-After` when the database is busy. Send `Accept: application/hal+json` ' +
        'for HAL links.',
    )
    .setVersion('2.0.0')
    .addServer('/api')
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Token <jwt> (also accepted: Bearer <jwt>)' },
      TOKEN_SECURITY,
    )
    .build();
  // Paths are relative to the /api server, as in the RealWorld spec.
  const document = SwaggerModule.createDocument(app, config, { ignoreGlobalPrefix: true });
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...COMPONENT_SCHEMAS } };
  return document;
}

export function setupOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup(SWAGGER_UI_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    yamlDocumentUrl: 'api/openapi.yaml',
    customSiteTitle: 'Conduit API docs',
  });
}
