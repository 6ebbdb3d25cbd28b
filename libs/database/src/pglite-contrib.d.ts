// PGlite declares its extensions as package subpath exports ("@electric-sql/pglite/contrib/citext"),
// which TypeScript's `moduleResolution: node` cannot follow. Node itself resolves them at run
// time; this only points the compiler at the same declarations.
declare module '@electric-sql/pglite/contrib/citext' {
  export * from '@electric-sql/pglite/dist/contrib/citext';
}
