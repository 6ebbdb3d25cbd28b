// Two projects: `unit` (no I/O, fast) and `e2e` (HTTP through the Nest app on a real Postgres that
// the global setup creates for this run and drops afterwards).
/** @type {import('jest').Config['transform']} */
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        // Nest's dependency injection reads constructor parameter types from decorator metadata.
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    },
  ],
};

// Workspace libraries are tested from source; the build output in dist/ is not needed.
const moduleNameMapper = { '^@capstone/([a-z-]+)$': '<rootDir>/libs/$1/src' };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/{apps,libs}/*/src/**/*.spec.ts'],
      transform,
      moduleNameMapper,
    },
    {
      displayName: 'e2e',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/apps/*/test/**/*.e2e-spec.ts'],
      transform,
      moduleNameMapper,
      globalSetup: '<rootDir>/apps/api/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/apps/api/test/setup/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/apps/api/test/setup/per-file.ts'],
    },
  ],
};
