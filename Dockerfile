# syntax=docker/dockerfile:1
# Multi-stage build of the API: compile TypeScript (and the native better-sqlite3 addon) and bundle the web front
# end (dist/web) in a build stage, ship only production dependencies and dist/ in a slim stage that runs as "node".
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY indexer ./indexer
COPY bench ./bench
COPY web ./web
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY data/demo ./data/demo
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD node -e "fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# the service with glibc's malloc as `newsfind serve` sets it (src/runtime/malloc-env.ts): large blocks given back when
# freed; the compose file's indexers, which run their own command, keep glibc's default
CMD ["env", "GLIBC_TUNABLES=glibc.malloc.mmap_threshold=131072", "node", "dist/src/main.js"]
