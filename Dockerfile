# Sandpiper's own image: the bot (`start`) and the runner service (`runner`) in one, the role
# chosen by the command (compose.yaml: `command: runner`). The sandboxes themselves are the
# sandpiper-python images, built on each Docker host (`npm run setup`, `npx sandpiper image build`):
# see the README's "Runners on several hosts".
#
#   docker build -t sandpiper .
#   docker build -t sandpiper --build-arg NODE_IMAGE=sandpiper-node:20-trixie .   # no registry:
#                                                         # scripts/node-image-offline.sh makes it
#
# The runner needs the host's Docker socket, which is root on that host: the process runs as the
# unprivileged user `node` (uid 1000), so give it the socket's group (compose.yaml: group_add with
# DOCKER_GID, `stat -c %g /var/run/docker.sock`). The bot on runners (SANDBOX_RUNNERS) needs none.
ARG NODE_IMAGE=node:20-bookworm-slim

# Production dependencies only. No install scripts: none of them is needed at run time (ssh2's
# optional native crypto and cpu-features have pure-JS fallbacks), and none runs a compiler here.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# The compiled CLI (dist/), built with the dev dependencies (TypeScript).
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src/ src/
COPY adapters/ adapters/
COPY sandbox/ sandbox/
COPY scripts/ scripts/
RUN npm run build

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
# The unprivileged user: node:*-slim images have it (uid 1000); a bare base gets the same entry.
RUN id -u node >/dev/null 2>&1 || { echo 'node:x:1000:1000::/app:/usr/sbin/nologin' >> /etc/passwd && echo 'node:x:1000:' >> /etc/group; }
COPY --from=deps /app/node_modules/ node_modules/
COPY package.json package-lock.json ./
COPY bin/ bin/
COPY --from=build /app/dist/ dist/
# Read at run time from the package root (sandbox/assets.ts): the bootstrap and program.py the
# sandbox runs, and the image recipe (sandbox/image/), whose hash is in the image tag. They must be
# the files the host's images were built from, or the tag differs and the runner rebuilds.
COPY sandbox/ sandbox/
USER node
EXPOSE 8060
ENTRYPOINT ["node", "bin/sandpiper.js"]
CMD ["start"]
