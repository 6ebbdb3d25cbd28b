// Argon2 hashing and the embedded-database boot are slow by design; e2e tests get room for them.
jest.setTimeout(60_000);
