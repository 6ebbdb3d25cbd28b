// Two projects: `unit` (no I/O, fast) and `e2e` (HTTP through the Nest app on a real Postgres that
// the global setup creates for this run and drops afterwards).
/** @type {import('jest').Config['transform']} */
const transform = {
  '^.+\\.[cm]?[tj]s$': [
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

// Jest on Node 20 cannot require() an ES module (plain Node 20.19+ can), so the ESM-only packages
// in our dependency tree are compiled to CommonJS by @swc/jest like our own code. Add a package
// here when a test fails with "Must use import to load ES Module". Mercurius is CommonJS but loads
// quick-lru (ESM-only) with a dynamic import(), which Jest's module sandbox refuses without
// --experimental-vm-modules; compiled by @swc/jest, that import() becomes a require().
// openid-client 6 needs oauth4webapi and jose. oidc-provider (the OpenID Connect provider of the
// sign-in tests) is not listed: it runs in a child process (apps/api/test/support/oidc-provider.ts).
const ESM_ONLY_PACKAGES = ['content-disposition', 'mercurius', 'quick-lru', 'openid-client', 'oauth4webapi', 'jose'];
const transformIgnorePatterns = [`/node_modules/(?!(\\.pnpm/[^/]+/node_modules/)?(${ESM_ONLY_PACKAGES.join('|')})/)`];

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
      transformIgnorePatterns,
      moduleNameMapper,
    },
    {
      displayName: 'e2e',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/apps/*/test/**/*.e2e-spec.ts'],
      transform,
      transformIgnorePatterns,
      moduleNameMapper,
      globalSetup: '<rootDir>/apps/api/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/apps/api/test/setup/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/apps/api/test/setup/per-file.ts'],
    },
  ],
};
