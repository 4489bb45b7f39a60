# syntax=docker/dockerfile:1
# Inzage: a two-stage image. The build stage compiles (scripts/image.sh, the same steps test/image.test.ts
# runs); the runtime stage holds plain JavaScript and production dependencies only, runs as a user without
# privileges, and is healthy when /healthz says so.

FROM node:24-bookworm-slim AS build
# better-sqlite3 is compiled against this Node when no prebuilt binary fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN sh scripts/image.sh build && sh scripts/image.sh release /release

FROM node:24-bookworm-slim
# The compile cache (bin/inzage.js keeps it in dist/ otherwise) in the data volume: /app is not the user's to write.
ENV NODE_ENV=production \
    INZAGE_HOST=0.0.0.0 \
    PORT=8080 \
    INZAGE_DATA_DIR=/var/lib/inzage \
    INZAGE_CONFIG_DIR=/app/examples/balkonzon \
    INZAGE_LOG_FORMAT=json \
    NODE_COMPILE_CACHE=/var/lib/inzage/node-compile-cache
RUN groupadd --system --gid 10001 inzage \
 && useradd --system --uid 10001 --gid inzage --home-dir /var/lib/inzage --shell /usr/sbin/nologin inzage \
 && mkdir -p /var/lib/inzage && chown inzage:inzage /var/lib/inzage
WORKDIR /app
# Owned by root, read-only for the service: only the data folder is its own.
COPY --from=build /release /app
USER inzage
VOLUME ["/var/lib/inzage"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "/app/bin/inzage.js"]
CMD ["serve"]
