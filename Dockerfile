# syntax=docker/dockerfile:1

# Node.js 26, the long-term-support line maintained until April 2029 (Node 20's support ended on 2026-04-30). Not 24:
# its V8 takes about 600 MB to optimise one function of PGlite's WebAssembly, and the embedded server peaks near 800 MB
# at start (docs/performance.md). .ci/run reads this version and runs the test suite on it as well.
ARG NODE_VERSION=26.10.0

# Production dependencies only, without install scripts (the Prisma client is generated in the build stage).
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# Full install (postinstall runs `prisma generate`), then compile TypeScript to dist/ (with the dashboard's page,
# src/dashboard/, copied beside it; its chart library, echarts, is a production dependency) and make the empty PGlite
# cluster that a new embedded data directory starts from (dist/pglite-cluster.tar.gz).
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY seed ./seed
RUN npm run build

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
# Two malloc arenas instead of one per thread, and (in CMD) a bounded V8 heap without allocation-site pretenuring:
# see serverNodeArguments in bench/app-setup.ts, which package.json's start script and this file share.
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    HOST=0.0.0.0 \
    PORT=3000 \
    PGLITE_DATA_DIR=/app/data/pglite
WORKDIR /app
COPY --chown=node:node package.json ./
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node prisma/migrations ./prisma/migrations
COPY --chown=node:node seed/documents ./seed/documents
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# The embedded database lives here; set DATABASE_URL to use a PostgreSQL server instead.
VOLUME ["/app/data"]
HEALTHCHECK --interval=30s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--max-semi-space-size=8", "--max-old-space-size=192", "--no-allocation-site-pretenuring", "dist/src/server.js"]
