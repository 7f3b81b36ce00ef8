# Zeugo — two commands: `make run` (set up everything and serve
# https://localhost:8443) and `make test` (every check and test). All other
# targets are steps of these two.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

ROOT      := $(CURDIR)
BIN       := $(ROOT)/.bin
DATA      := $(ROOT)/.data
ZEUGO     := $(BIN)/zeugo
BUF       := $(ROOT)/frontend/node_modules/.bin/buf
GO_GEN    := backend/internal/gen
TS_GEN    := frontend/src/gen
DEB_PKGS  := chromium fonts-dejavu-core poppler-utils postgresql-client docker-compose
# The base URL of a PostgreSQL server (see scripts/ensure-postgres.sh).
PG_BASE    = $$(scripts/ensure-postgres.sh)

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

# ---------------------------------------------------------------- set-up --

.PHONY: setup
setup: deps-debian deps-go deps-npm tools ## install what is missing (idempotent)

.PHONY: deps-debian
deps-debian:
	@missing=""; \
	for p in $(DEB_PKGS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  echo "installing Debian packages:$$missing"; \
	  $$sudo apt-get update -qq; DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing >/dev/null; \
	fi

.PHONY: deps-go
deps-go:
	@cd backend && go mod download
	@GOWORK=off go -C tools mod download

.PHONY: deps-npm
deps-npm: frontend/node_modules/.package-lock.json

frontend/node_modules/.package-lock.json: frontend/package-lock.json frontend/package.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

.PHONY: tools
tools: $(BIN)/protoc-gen-go $(BIN)/protoc-gen-connect-go $(BIN)/staticcheck $(BIN)/sqlc

$(BIN)/protoc-gen-go $(BIN)/protoc-gen-connect-go $(BIN)/staticcheck: tools/go.mod tools/go.sum
	@mkdir -p $(BIN)
	GOWORK=off go -C tools build -o $(BIN)/ google.golang.org/protobuf/cmd/protoc-gen-go \
	  connectrpc.com/connect/cmd/protoc-gen-connect-go honnef.co/go/tools/cmd/staticcheck

# sqlc builds without cgo (its optional SQLite/engine parts need none of ours).
$(BIN)/sqlc: tools/go.mod tools/go.sum
	@mkdir -p $(BIN)
	GOWORK=off CGO_ENABLED=0 go -C tools build -o $(BIN)/ github.com/sqlc-dev/sqlc/cmd/sqlc

# ------------------------------------------------------------- generation --

.PHONY: generate
generate: deps-npm tools ## regenerate Go and TypeScript code from proto/ and SQL queries
	rm -rf $(GO_GEN) $(TS_GEN) backend/internal/*/dbsqlc
	$(BUF) generate
	cd backend && $(BIN)/sqlc generate

.PHONY: checkgenerate
checkgenerate: generate ## fail when committed generated code is stale
	@if [ -n "$$(git status --porcelain -- $(GO_GEN) $(TS_GEN) backend/internal/*/dbsqlc)" ]; then \
	  git status --porcelain -- $(GO_GEN) $(TS_GEN) backend/internal/*/dbsqlc; \
	  echo "generated code is stale: run 'make generate' and commit the result"; exit 1; fi

# ----------------------------------------------------------------- build --

.PHONY: build-web
build-web: deps-npm
	cd frontend && npm run --silent build

.PHONY: build
build: build-web ## build the SPA and the zeugo binary (SPA embedded)
	@mkdir -p $(BIN)
	cd backend && go build -trimpath -o $(ZEUGO) ./cmd/zeugo

# ------------------------------------------------------------------- run --

.PHONY: run
run: setup build ## set everything up and serve https://localhost:8443
	@base=$(PG_BASE); \
	export ZEUGO_ENV=development ZEUGO_DATA_DIR=$(DATA) \
	  ZEUGO_DATABASE_URL="$${ZEUGO_DATABASE_URL:-$$base/zeugo?sslmode=disable}" \
	  ZEUGO_LISTEN_ADDR="$${ZEUGO_LISTEN_ADDR:-localhost:8443}"; \
	$(ZEUGO) migrate; \
	echo; $(ZEUGO) demo; echo; \
	echo "Öffnen Sie / open https://localhost:8443 (Entwicklungszertifikat / development certificate: $(DATA)/tls/cert.pem)"; \
	exec $(ZEUGO) serve

# ------------------------------------------------------------------ test --

.PHONY: test
test: setup lint checkgenerate test-go fuzz test-web test-e2e ## every check and test (what CI runs)
	@echo "make test: all checks passed"

.PHONY: lint
lint: deps-npm tools ## buf lint, go vet, staticcheck, tsc, compose file
	$(BUF) lint
	cd backend && go vet ./...
	cd backend && $(BIN)/staticcheck ./...
	cd frontend && npm run --silent typecheck
	ZEUGO_MASTER_KEY=check ZEUGO_DB_OWNER_PASSWORD=check ZEUGO_DB_APP_PASSWORD=check docker-compose -f docker-compose.yml config -q

# The SPA is built first: the Go tests check the embedded app (without it
# they would pass without testing it; with CI=true they fail instead). The
# binary is built first too: the crash test of certificates runs `zeugo
# serve` as a process and takes it from ZEUGO_BIN (without it, it builds
# one more binary of its own); test-e2e uses the same one.
.PHONY: test-go
test-go: build ## Go tests on real PostgreSQL (fresh database per test)
	@export ZEUGO_TEST_DATABASE_URL="$(PG_BASE)/postgres?sslmode=disable" ZEUGO_BIN=$(ZEUGO); \
	cd backend && go test -count=1 -race -timeout 15m ./...
	@# The property tests of the text checker and of the generator sample
	@# under -race (pure computation in one goroutine, nothing for it to
	@# find; 8-14x slower); here they run in full. Every other test keeps
	@# -race: the rest of these two packages is cheap under it and runs in
	@# parallel over their shared libraries, and everything else has a
	@# server, a pool or goroutines of its own.
	@export ZEUGO_TEST_DATABASE_URL="$(PG_BASE)/postgres?sslmode=disable"; \
	cd backend && go test -count=1 -run '^(TestPrintedTextReadsClean|TestRandomFacts)$$' ./internal/textcheck ./internal/generator

.PHONY: fuzz
fuzz: ## every Go fuzz target, briefly (FUZZTIME=8s each)
	scripts/fuzz.sh

.PHONY: mutants
mutants: ## mutation check of the security-critical packages (slow, not in make test; docs/security.md §5)
	@export ZEUGO_TEST_DATABASE_URL="$${ZEUGO_TEST_DATABASE_URL:-$(PG_BASE)/postgres?sslmode=disable}"; \
	scripts/mutants.sh $(MUTANTS)

.PHONY: test-web
test-web: deps-npm ## Vitest
	cd frontend && npm test --silent

.PHONY: test-e2e
test-e2e: build ## Playwright with Debian Chromium against a real server
	@export ZEUGO_TEST_DATABASE_URL="$(PG_BASE)/postgres?sslmode=disable" ZEUGO_BIN=$(ZEUGO); \
	cd frontend && npx playwright test

# ----------------------------------------------------------------- bench --

.PHONY: bench
bench: setup ## benchmarks, reported as ratios against same-run baselines (bench/README.md)
	@export ZEUGO_TEST_DATABASE_URL="$(PG_BASE)/postgres?sslmode=disable"; \
	cd backend && go run ./cmd/zeugo-bench
	@export ZEUGO_TEST_DATABASE_URL="$(PG_BASE)/postgres?sslmode=disable"; \
	cd backend && go test ./internal/outbox -run '^$$' -bench OutboxDelivery -count 3
	@export ZEUGO_TEST_DATABASE_URL="$(PG_BASE)/postgres?sslmode=disable"; \
	cd backend && go test ./internal/users -run '^$$' -bench InvitationWhileSMTPStalls -benchtime 1x -count 3
	@export ZEUGO_TEST_DATABASE_URL="$(PG_BASE)/postgres?sslmode=disable"; \
	cd backend && go test ./internal/apikey -run '^$$' -bench APIKeyVsSession -benchtime 1x -count 3
	@export ZEUGO_TEST_DATABASE_URL="$(PG_BASE)/postgres?sslmode=disable"; \
	cd backend && go test ./internal/employees -run '^$$' -bench Employees -benchtime 1x -count 3 -timeout 30m
	@export ZEUGO_TEST_DATABASE_URL="$(PG_BASE)/postgres?sslmode=disable"; \
	cd backend && go test ./internal/certificates -run '^$$' -bench 'Certificates$$' -benchtime 1x -count 3 -timeout 30m
	@export ZEUGO_TEST_DATABASE_URL="$(PG_BASE)/postgres?sslmode=disable"; \
	cd backend && go test ./internal/layout -run '^$$' -bench LayoutPreview -benchtime 1x -count 3
	@export ZEUGO_TEST_DATABASE_URL="$(PG_BASE)/postgres?sslmode=disable"; \
	cd backend && GOGC=400 go test ./internal/certificates -run '^$$' -bench DownloadDuringExport -benchtime 1x -count 3 -timeout 30m
	@export ZEUGO_TEST_DATABASE_URL="$(PG_BASE)/postgres?sslmode=disable"; \
	cd backend && go test ./internal/handover -run '^$$' -bench RecipientRead -benchtime 1x -count 3 -timeout 30m
	@export ZEUGO_TEST_DATABASE_URL="$(PG_BASE)/postgres?sslmode=disable"; \
	cd backend && go test ./internal/mfa -run '^$$' -bench LoginWithTOTP -benchtime 1x -count 3 -timeout 30m
	cd backend && go test ./internal/generator -run '^$$' -bench Generate -count 3
	cd backend && go test ./internal/textcheck -run '^$$' -bench Check -count 3
	cd backend && go test ./internal/pdf -run '^$$' -bench RenderPDF -count 3
	cd backend && go test ./internal/pdf -run '^$$' -bench PDFZipSpeedup -benchtime 1x -timeout 30m
	cd backend && GOGC=400 go test ./internal/pdf -run '^$$' -bench PDFZipSpeedup -benchtime 1x -timeout 30m

.PHONY: clean
clean: ## remove built files (keeps .data: dev database cluster, keys, certificate)
	rm -rf $(BIN) frontend/node_modules backend/internal/web/dist/assets backend/internal/web/dist/index.html
