# syntax=docker/dockerfile:1
# One image for every process of the app: the Temporal worker (the default command), the HTTP
# API and the chat bots (the same image with another command, see docker-compose.yml).
# TypeScript runs through tsx, as in development, so there is no build step to drift.

# --- dependencies: production packages only -------------------------------------------
FROM node:24-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# `npm install`, not `npm ci`: the lock file cannot list @swc/core's binaries for every
# platform (see README), and `npm install` still installs exactly the locked versions.
# Install scripts follow package.json's `allowScripts`.
RUN npm install --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# --- runtime ---------------------------------------------------------------------------
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and only readable by the app's user: the processes cannot change their code.
COPY --from=dependencies /app/node_modules ./node_modules
COPY . .
# The image's unprivileged `node` user (uid 1000); its home holds npm's and tsx's caches.
USER node
CMD ["npx", "tsx", "src/app/worker.ts"]
