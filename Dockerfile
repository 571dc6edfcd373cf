# syntax=docker/dockerfile:1
# provd container image. Build: docker build -t provd .
# Run (host network: DHCP broadcasts and TFTP's per-transfer ports need it; see docs/operations.md):
#   docker run -d --name provd --network host \
#     -v /srv/provd/config:/etc/provd:ro -v /srv/provd/state:/var/lib/provd \
#     -v /srv/provd/root:/srv/provd/root:ro -v /srv/provd/templates.local:/etc/provd/templates.local:ro provd
# The build is reproducible from package-lock.json (`npm ci`); the base image is pinned by tag
# (pin it by digest in your own registry for bit-for-bit rebuilds).

FROM node:20-bookworm-slim AS build
WORKDIR /build
# better-sqlite3 compiles from source (its prebuilt download is not relied on).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc tsconfig.json ./
COPY src ./src
RUN npm ci --no-audit --no-fund \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production MALLOC_ARENA_MAX=2
WORKDIR /opt/provd
# The runtime tree: exactly these paths (test/integration/packaging-image.test.ts assembles the
# same list from this file and runs the daemon from it).
COPY --from=build /build/package.json ./package.json
COPY --from=build /build/node_modules ./node_modules
COPY --from=build /build/dist ./dist
COPY config ./config
COPY templates ./templates
COPY deploy/provd.production.yaml /etc/provd/provd.yaml
COPY config/inventory /etc/provd/inventory
# Ports below 1024 as the unprivileged `node` user: the node binary carries the one file
# capability it needs (Docker's default capability set includes NET_BIND_SERVICE).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcap2-bin \
 && setcap cap_net_bind_service=+ep /usr/local/bin/node \
 && apt-get purge -y libcap2-bin && apt-get autoremove -y && rm -rf /var/lib/apt/lists/* \
 && ln -s /opt/provd/dist/src/cli/bin.js /usr/local/bin/provd \
 && mkdir -p /var/lib/provd /srv/provd/root /etc/provd/templates.local \
 && chown node:node /var/lib/provd
USER node
VOLUME ["/etc/provd", "/var/lib/provd", "/srv/provd/root"]
EXPOSE 80 443 21 69/udp 67/udp 8081
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8081/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The V8 flags and MALLOC_ARENA_MAX (above) are `npm start`'s, measured in bench/http to keep RSS
# down (10,000 devices under load: 344 -> 277 MB keep-alive, 320 -> 222 MB new connections). They
# go on the command line because NODE_OPTIONS does not accept --heap-growing-percent.
ENTRYPOINT ["node", "--max-semi-space-size=8", "--heap-growing-percent=25", "/opt/provd/dist/src/cli/bin.js"]
CMD ["serve", "--config", "/etc/provd/provd.yaml"]
