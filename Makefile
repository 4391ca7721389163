# mspdesk — the two commands are `make run` and `make test` (see README.md).
CARGO ?= cargo
PG_TEST_URL := $(or $(MSPDESK_TEST_DATABASE_URL),postgres://postgres@127.0.0.1:5432/test)
BIN := ./target/release/mspdesk

.PHONY: run test test-sqlite test-postgres test-api-fuzz test-e2e screenshots lint bench build soak

## Build, migrate the local SQLite file, load the demo tenant when empty, serve.
run:
	$(CARGO) build --release
	$(BIN) migrate
	$(BIN) demo
	$(BIN) serve

## The whole suite on SQLite, then on PostgreSQL, then the API fuzzer on both, then the
## browser checks (Chromium: stories, 390 px layout, axe-core, Nu HTML checker).
test: test-sqlite test-postgres test-api-fuzz test-e2e

test-sqlite:
	# The application alone (without the tests' `testing` feature): nothing outside the
	# domain can name a table, or this does not compile.
	$(CARGO) check --workspace --lib --bins
	MSPDESK_TEST_DATABASE_URL= $(CARGO) test --workspace --all-targets
	# The doc tests: what must stay a compile error outside the domain (forged authority).
	$(CARGO) test --workspace --doc

test-postgres:
	MSPDESK_TEST_DATABASE_URL=$(PG_TEST_URL) $(CARGO) test --test it

## schemathesis against /api/v1/openapi.json with a read-write key, on SQLite and on a
## PostgreSQL database it recreates; uses the binary the integration tests built.
PG_FUZZ_URL := $(patsubst %/test,%/mspdesk_fuzz,$(PG_TEST_URL))
test-api-fuzz:
	test -x target/debug/mspdesk || $(CARGO) test --test it --no-run
	tests/api_fuzz.sh
	tests/api_fuzz.sh $(PG_FUZZ_URL)

## Debian's Chromium through playwright-core (tests/e2e), on SQLite and on PostgreSQL.
PG_E2E_URL := $(patsubst %/test,%/mspdesk_e2e,$(PG_TEST_URL))
test-e2e:
	test -x target/debug/mspdesk || $(CARGO) build --bin mspdesk
	tests/e2e/run.sh
	tests/e2e/run.sh $(PG_E2E_URL)

## The main pages at 1366 and 390 px, light and dark, into screenshots/ (not committed).
screenshots:
	test -x target/debug/mspdesk || $(CARGO) build --bin mspdesk
	MSPDESK_SCREENSHOTS=$(CURDIR)/screenshots tests/e2e/run.sh

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

build:
	$(CARGO) build --release

## A real MSP's volume on SQLite and PostgreSQL, every main page under wrk against the
## /healthz ceiling: one table (also target/bench.md) and the budgets, met or missed.
bench:
	command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	$(CARGO) build --release --bin mspdesk --bin mspdesk-bench
	./target/release/mspdesk-bench $(PG_TEST_URL)

## 48 clients for 60 s mixing reads, writes, logins and uploads on SQLite: 0 server errors.
soak:
	MSPDESK_TEST_DATABASE_URL= MSPDESK_SOAK_CLIENTS=48 MSPDESK_SOAK_SECONDS=600 \
		$(CARGO) test --release --test it -- soak:: --nocapture
