# syntax=docker/dockerfile:1

# ---------------------------------------------------------------- builder ---
FROM rust:1.95-bookworm AS builder
WORKDIR /src

COPY . .

# The registry, git checkouts and target dir live in BuildKit cache mounts, so
# rebuilds only recompile what changed. The binary is copied out of the cache
# mount inside the same RUN (the mount is not part of the image layer).
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \
    --mount=type=cache,target=/usr/local/cargo/git,sharing=locked \
    --mount=type=cache,target=/src/target,sharing=locked \
    cargo build --release --locked --bin hotline \
    && install -D -m 0755 target/release/hotline /out/hotline

# ---------------------------------------------------------------- runtime ---
FROM debian:bookworm-slim AS runtime

RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 hotline \
    && useradd --system --uid 10001 --gid hotline --home-dir /data \
        --no-create-home --shell /usr/sbin/nologin hotline \
    && mkdir -p /data \
    && chown hotline:hotline /data

COPY --from=builder /out/hotline /usr/local/bin/hotline

ENV HOTLINE_LISTEN=0.0.0.0:8080
# The default SQLite database is ./hotline.db, i.e. /data/hotline.db.
WORKDIR /data
VOLUME ["/data"]
USER hotline:hotline
EXPOSE 8080

HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1

ENTRYPOINT ["hotline"]
CMD ["serve"]
