# syntax=docker/dockerfile:1
#
# @roadmap devops.docker
# Look at how the build stages keep the compiler and dev dependencies out of the final image,
# which runs as the unprivileged `node` user with a HEALTHCHECK on /api/health.
#
# The production image of the API and the worker (the same image; the worker's container runs
# `node -r ./apps/worker/dist/tracing.js apps/worker/dist/main.js` instead), built in stages.
# Each stage starts from an earlier one (or from a clean base image) and the final image keeps only what `node apps/api/dist/main.js` needs at run
# time: no compiler, no dev dependencies, no TypeScript sources, no pnpm store.
#
#   base       Node.js + pnpm
#   deps       every package in pnpm-lock.yaml, downloaded into a pnpm store (cached layer)
#   build      the whole repository installed and compiled (pnpm build)
#   prod-deps  production dependencies only, installed offline from the same store
#   runtime    prod-deps + compiled output + Prisma files, run as a non-root user
#
# Build and run:
#   docker build -t capstone-api .
#   docker run --rm -p 3000:3000 -e JWT_SECRET="$(openssl rand -base64 48)" \
#     -e DATABASE_URL=postgresql://user:password@host:5432/capstone capstone-api
# (or `docker compose up --build`, which also starts Postgres, Redis, Elasticsearch, Mailpit and
# Caddy, runs the migrations once in a `migrate` container and two API replicas behind Caddy).

# Both the build stages and the runtime stage use the same Node.js image, so native packages
# installed during the build (e.g. @node-rs/argon2's prebuilt binary) match the runtime exactly.
ARG NODE_IMAGE=node:22-bookworm-slim
# Keep in step with "packageManager" in package.json.
ARG PNPM_VERSION=10.34.9

# -----------------------------------------------------------------------------------------------
# base: Node.js plus pnpm.
# pnpm comes from the npm registry with npm itself; Corepack is not used because it cannot verify
# the registry's signatures on the machines this project is developed on.
# -----------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS base
ARG PNPM_VERSION
RUN npm install -g "pnpm@${PNPM_VERSION}" && npm cache clean --force
# Where pnpm keeps downloaded packages (pnpm reads npm_config_* variables, like npm). A fixed path
# lets later stages install from it with --offline.
ENV npm_config_store_dir=/pnpm/store
# No update checks or telemetry pings from the Prisma CLI during builds and migrations.
ENV CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1
WORKDIR /app

# -----------------------------------------------------------------------------------------------
# deps: download every package the lockfile names.
# `pnpm fetch` reads only the lockfile (no package.json files), so this layer, the slow network
# part, is rebuilt only when pnpm-lock.yaml, pnpm-workspace.yaml or a patch changes, not on every
# source edit. The patches are copied because pnpm-workspace.yaml lists them
# (patchedDependencies) and the lockfile records their hashes.
# -----------------------------------------------------------------------------------------------
FROM base AS deps
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
COPY patches ./patches
RUN pnpm fetch

# -----------------------------------------------------------------------------------------------
# build: install everything (dev dependencies included) from the store and compile.
# `pnpm install` runs the root "postinstall" script, `pnpm db:generate`, which writes the Prisma
# client into libs/database/src/generated/; `pnpm build` (tsc -b) then compiles it together with
# the API and the libraries into apps/api/dist and libs/*/dist.
# -----------------------------------------------------------------------------------------------
FROM deps AS build
COPY . .
RUN pnpm install --frozen-lockfile --offline
RUN pnpm build

# -----------------------------------------------------------------------------------------------
# prod-deps: production dependencies only.
# Why not `pnpm deploy`? It packs each workspace library the way `npm publish` would, which leaves
# out the git-ignored dist/ folders our libraries run from, and it would not carry the root files
# the migrations need (prisma/, prisma.config.ts). Why not prune the build stage's node_modules
# with `pnpm install --prod`? Changing the installed set makes pnpm want to delete node_modules,
# which it refuses to do without a terminal (ERR_PNPM_ABORTED_REMOVE_MODULES_DIR_NO_TTY).
# So: a fresh directory with just the manifests, installed --prod from the store this image
# already holds (--offline: no network). --ignore-scripts skips the root postinstall (the Prisma
# client is already compiled into libs/database/dist); pnpm still applies patches/ while linking.
# Every workspace package the API and the worker need at run time is listed here and in the
# runtime stage: add any new lib to both.
# -----------------------------------------------------------------------------------------------
FROM deps AS prod-deps
WORKDIR /prod
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY patches ./patches
COPY apps/api/package.json ./apps/api/
COPY apps/worker/package.json ./apps/worker/
COPY libs/config/package.json ./libs/config/
COPY libs/database/package.json ./libs/database/
COPY libs/cache/package.json ./libs/cache/
COPY libs/jobs/package.json ./libs/jobs/
COPY libs/search/package.json ./libs/search/
COPY libs/mail/package.json ./libs/mail/
COPY libs/logging/package.json ./libs/logging/
RUN pnpm install --prod --frozen-lockfile --offline --ignore-scripts

# -----------------------------------------------------------------------------------------------
# runtime: what the container runs. No pnpm here: node and the Prisma CLI are enough.
# Files are owned by root and only readable by the `node` user the process runs as, so a
# compromised process cannot rewrite the application.
# -----------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1 \
    PATH=/app/node_modules/.bin:$PATH
WORKDIR /app

# Production node_modules (pnpm links workspace packages with relative symlinks, so the tree can
# move from /prod to /app) and the package.json files that point "main" at dist/.
COPY --from=prod-deps /prod ./
# Compiled JavaScript (the Prisma client is inside libs/database/dist/generated/).
COPY --from=build /app/apps/api/dist ./apps/api/dist
COPY --from=build /app/apps/worker/dist ./apps/worker/dist
COPY --from=build /app/libs/config/dist ./libs/config/dist
COPY --from=build /app/libs/database/dist ./libs/database/dist
COPY --from=build /app/libs/cache/dist ./libs/cache/dist
COPY --from=build /app/libs/jobs/dist ./libs/jobs/dist
COPY --from=build /app/libs/search/dist ./libs/search/dist
COPY --from=build /app/libs/mail/dist ./libs/mail/dist
COPY --from=build /app/libs/logging/dist ./libs/logging/dist
# The email templates are plain files, read at run time.
COPY --from=build /app/libs/mail/templates ./libs/mail/templates
# The roadmap explorer at `/` (apps/api/src/explorer): its page, script and stylesheet, and the
# roadmap data it shows. No sources: the page links to a file's path instead of showing it.
COPY --from=build /app/apps/api/explorer ./apps/api/explorer
COPY --from=build /app/docs/roadmap.json ./docs/roadmap.json
# What `prisma migrate deploy` reads: the config (a TypeScript file the CLI loads itself), the
# schema and migrations, and the one source file prisma.config.ts imports.
COPY --from=build /app/prisma.config.ts ./
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/libs/database/src/pg-connection.ts ./libs/database/src/

# The image runs with NODE_ENV=production, so it refuses to start without DATABASE_URL unless
# ALLOW_EMBEDDED_DATABASE=true asks for the embedded Postgres (PGlite) in .data/pglite: the only
# place the process writes (plus its socket in /tmp). Mount a volume there to keep that data.
RUN mkdir -p /app/.data && chown node:node /app/.data
# The official Node.js images ship an unprivileged user named `node` (uid 1000).
USER node

EXPOSE 3000

# Docker marks the container healthy when GET /api/health answers 200 (503 means the database is
# unreachable). Node 22 has fetch built in, so the slim image needs no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# Apply pending migrations (a no-op when there are none), then start the API. `exec` replaces the
# shell, so node is PID 1 and receives SIGTERM from `docker stop` directly (main.ts shuts down
# cleanly on it). With no DATABASE_URL there is nothing to migrate here: the API migrates its
# embedded database itself. A failed migration stops the container before the API starts.
# With several replicas, migrate once instead and start each with `node apps/api/dist/main.js`
# (docker-compose.yml does: its `migrate` service runs `prisma migrate deploy`).
# `-r ./apps/api/dist/tracing.js` preloads OpenTelemetry before the app's modules; it starts
# nothing unless OTEL_EXPORTER_OTLP_ENDPOINT is set (docs/operations.md, traces).
CMD ["sh", "-c", "if [ -n \"$DATABASE_URL\" ]; then prisma migrate deploy; fi && exec node -r ./apps/api/dist/tracing.js apps/api/dist/main.js"]
