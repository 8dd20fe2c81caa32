# reesim: make run builds and runs the shipped scenarios; make test runs every test.
GO       ?= go
PATHS    ?= 10000
OUT      ?= out
COMMIT   := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
LDFLAGS  := -X main.commitHash=$(COMMIT)
SHIPPED  := baseline heavy-ree-ban magnet-tariff pipeline-slip full-embargo myanmar-disruption china-consolidation defence-stress

.PHONY: all build run test bench chart-cost scale-out fuzz browser-check clean

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
	$(GO) test -run '^$$' -bench . -benchmem -count 6 ./sim ./engine | tee bench.txt

## chart-cost: time and peak memory of a baseline run of CHART_PATHS paths
## with and without charts (median of CHART_REPS runs each; see README)
CHART_PATHS ?= 40000
CHART_REPS ?= 3
chart-cost: build
	bash scripts/chart-cost.sh $(CHART_PATHS) $(CHART_REPS)

## scale-out: the local proof of shard-and-merge (docs/SCALE-OUT.md): the
## baseline as SCALE_SHARDS shard processes, merged, compared with cmp to a
## one-machine run for each N, then a study in 3 shards; prints CPU times
SCALE_PATHS ?= 4000
SCALE_SHARDS ?= 1 3 8
SCALE_STUDY_PATHS ?= 400
SCALE_CHARTS ?= --no-charts
scale-out: build
	bash scripts/scale-out.sh $(SCALE_PATHS) "$(SCALE_SHARDS)" $(SCALE_STUDY_PATHS) $(SCALE_CHARTS)

## fuzz: every fuzz target (func FuzzXxx in any package) for FUZZTIME each;
## an input that fails is written to the package's testdata/fuzz/FuzzXxx/
## and, once fixed, kept there so that go test runs it ever after
## (FUZZMINIMIZE bounds the time spent shrinking each new input: shrinking
## one made from the 100 KB baseline could otherwise stall a run for a minute)
FUZZTIME ?= 30s
FUZZMINIMIZE ?= 5s
fuzz:
	@set -e; for dir in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do \
		for target in $$(grep -h -o '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go | cut -c6- | sort -u); do \
			echo "== $$dir $$target for $(FUZZTIME)"; \
			$(GO) test $$dir -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE); \
		done; \
	done

## browser-check: a small run of two scenarios and small explorations of
## one (sensitivity, discovery), then open their pages in headless Chromium
browser-check: build
	./reesim run --force --paths 500 --out $(OUT)/browser-check baseline heavy-ree-ban
	./reesim explore sensitivity --force --base 32 --trajectories 4 --bootstrap 100 --out $(OUT)/browser-check heavy-ree-ban
	./reesim explore discover --force --crisis 'peak_price_magnet_exchina > 400' $(OUT)/browser-check/heavy-ree-ban
	bash scripts/browser-check.sh $(OUT)/browser-check/baseline/report.html $(OUT)/browser-check/heavy-ree-ban/report.html $(OUT)/browser-check/index.html \
		$(OUT)/browser-check/heavy-ree-ban-sensitivity/report.html $(OUT)/browser-check/heavy-ree-ban/discover/report.html

clean:
	rm -rf $(OUT) reesim bench.txt
