// ESLint flat config: TypeScript rules for every package, tests included.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/generated/**', '.data/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      // `_name` marks a value left out on purpose (e.g. `const { body: _body, ...rest }`).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      'no-console': ['error', { allow: ['error', 'warn'] }],
    },
  },
  {
    // Nest injects by constructor parameter type: those imports must stay value imports.
    files: ['apps/*/src/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  // The architecture's import rules (docs/architecture.md): dependencies point inwards only.
  {
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/apps/**', '@capstone/api', '@capstone/api/**', '@capstone/worker', '@capstone/worker/**'],
              message: 'Libraries never import applications: move what both need into a lib.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/*/src/**/*.service.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'fastify', message: 'Services know nothing of HTTP: take and return plain values.' },
            { name: '@nestjs/platform-fastify', message: 'Services know nothing of HTTP.' },
            { name: '@nestjs/swagger', message: 'Services know nothing of HTTP: document the DTO instead.' },
            {
              name: '@nestjs/common',
              importNames: [
                'HttpException',
                'HttpStatus',
                'BadRequestException',
                'UnauthorizedException',
                'ForbiddenException',
                'NotFoundException',
                'ConflictException',
                'UnprocessableEntityException',
                'Req',
                'Res',
              ],
              message: 'Services throw domain errors (common/errors/domain-errors.ts); HTTP is mapped at the edge.',
            },
          ],
          patterns: [
            {
              group: ['**/*.controller', '**/*.presenter', '**/*.resolver', '**/dto/**', '**/common/http/**'],
              message:
                'Services never import transports (controllers, resolvers), presenters, DTOs or HTTP helpers: they take and return domain values.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The roadmap explorer's page script (apps/api/src/explorer): a classic script in the browser.
    files: ['apps/api/explorer/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { document: 'readonly', fetch: 'readonly', performance: 'readonly' },
    },
  },
);
