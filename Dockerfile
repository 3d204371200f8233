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
    && install -s -D -m 0755 target/release/hotline /out/hotline \
    && install -d -o 65532 -g 65532 /out/data

# ---------------------------------------------------------------- runtime ---
# Distroless: glibc and the stripped binary, no shell, no package manager, no
# curl. SQLite is compiled in and TLS roots are bundled, so nothing else is
# needed; the health check is the binary's own `hotline healthcheck`.
FROM gcr.io/distroless/cc-debian12:nonroot AS runtime

COPY --from=builder /out/hotline /usr/local/bin/hotline
COPY --from=builder --chown=65532:65532 /out/data /data

ENV HOTLINE_LISTEN=0.0.0.0:8080
# The default SQLite database is ./hotline.db, i.e. /data/hotline.db.
# Back it up while it runs: docker compose exec api hotline backup /data/copy.db
WORKDIR /data
VOLUME ["/data"]
USER 65532:65532
EXPOSE 8080

HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["hotline", "healthcheck"]

ENTRYPOINT ["hotline"]
CMD ["serve"]
