# One image for the API, the worker and the migration job (docker-compose.yml picks the command).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps apps
COPY libs libs
COPY workflows workflows
COPY scripts/build-console.js scripts/newest-mtime.js scripts/
# tsc for the services, Vite for the console (dist/console, served by the API at /console).
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
COPY config config
COPY scripts scripts
USER node
CMD ["node", "--enable-source-maps", "dist/apps/api/src/main.js"]
