# Multi-stage build of the zeugo binary with the SPA embedded.
# Used by docker-compose.yml; our own machines have no Docker engine, so CI
# only validates the compose file (make lint).

FROM node:20-bookworm-slim AS web
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY frontend/ ./
COPY backend/internal/web/dist/.gitkeep /src/backend/internal/web/dist/.gitkeep
RUN npm run build

FROM golang:1.26-bookworm AS go
WORKDIR /src
COPY go.work ./
COPY backend/go.mod backend/go.sum backend/
RUN cd backend && go mod download
COPY backend/ backend/
COPY --from=web /src/backend/internal/web/dist/ backend/internal/web/dist/
RUN cd backend && CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/zeugo ./cmd/zeugo

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=go /out/zeugo /usr/local/bin/zeugo
USER nonroot:nonroot
EXPOSE 8443
ENTRYPOINT ["/usr/local/bin/zeugo"]
CMD ["serve"]
