# Build: a static binary with the templates, migrations, reference data and fonts embedded.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/shilpkosh . && mkdir -p /out/data

# Run: nothing but the binary, as an unprivileged user.
FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /out/shilpkosh /app/shilpkosh
# The data folder belongs to the runtime user, so a named volume mounted there is writable.
COPY --from=build --chown=65532:65532 /out/data /app/data
ENV SHILPKOSH_ADDR=:8080 SHILPKOSH_DATA_DIR=/app/data
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 CMD ["/app/shilpkosh", "healthcheck"]
ENTRYPOINT ["/app/shilpkosh"]
CMD ["serve"]
