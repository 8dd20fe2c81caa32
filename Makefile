# reesim: make run builds and runs the shipped scenarios; make test runs every test.
GO       ?= go
PATHS    ?= 10000
OUT      ?= out
COMMIT   := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
LDFLAGS  := -X main.commitHash=$(COMMIT)
SHIPPED  := baseline heavy-ree-ban magnet-tariff pipeline-slip full-embargo

.PHONY: all build run test bench fuzz browser-check clean

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o reesim ./cmd/reesim

## run: every shipped scenario, PATHS paths each, tables and charts under OUT/
run: build
	./reesim run --force --paths $(PATHS) --out $(OUT) $(SHIPPED)

## test: vet and every test
test:
	$(GO) vet ./...
	$(GO) test ./...

## bench: benchmarks of one path and of a full baseline run (see README)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./sim ./engine | tee bench.txt

## fuzz: each fuzz target for a bounded time
FUZZTIME ?= 30s
fuzz:
	$(GO) test ./scenarios -run '^$$' -fuzz FuzzLoad -fuzztime $(FUZZTIME)

## browser-check: a small run of two scenarios, then open the reports in headless Chromium
browser-check: build
	./reesim run --force --paths 500 --out $(OUT)/browser-check baseline heavy-ree-ban
	bash scripts/browser-check.sh $(OUT)/browser-check/baseline/report.html $(OUT)/browser-check/index.html

clean:
	rm -rf $(OUT) reesim bench.txt
