# syntax=docker/dockerfile:1
# Build stage: compiles TypeScript and the native better-sqlite3 addon.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY migrations ./migrations
# npm ci bundles the CLI (the prepare script) and build compiles dist/src; pruning then drops
# TypeScript, tsx and esbuild, which the image never runs.
RUN npm ci --no-audit --no-fund \
 && npm run build \
 && npm prune --omit=dev

# Runtime stage: production dependencies and compiled code only, as a non-root user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    CLAB_BOT_DB=sqlite:/data/clab-bot.db \
    CLAB_LABS=/labs
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json slack-app-manifest.yaml ./
RUN groupadd --system clabbot && useradd --system --gid clabbot --home /app clabbot \
 && mkdir -p /data && chown clabbot:clabbot /data
USER clabbot
VOLUME ["/data"]
EXPOSE 3000
# `clab-bot health` checks that settings load and the database answers.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "dist/src/cli.js", "health"]
ENTRYPOINT ["node", "dist/src/cli.js"]
CMD ["serve"]
