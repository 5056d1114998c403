# softtoken — make run: build and start the window; make test: everything CI
# checks. Both install missing Debian packages when run as root.

MODULE  := github.com/cityadmin/softtoken
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
DATE    ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS := -X $(MODULE)/cli.Version=$(VERSION) -X $(MODULE)/cli.Commit=$(COMMIT) -X $(MODULE)/cli.Date=$(DATE)
TAGS    := $(if $(ACCESSIBILITY),accessibility,)
FUZZTIME ?= 60s

# Packages that build without cgo, vetted for Windows and macOS too. The
# GUI needs cgo on macOS (and main everywhere), so it is vetted natively.
NOCGO_WINDOWS := ./token/... ./store/... ./cli/... ./assets/... ./internal/... ./ui/...
NOCGO_DARWIN  := ./token/... ./store/... ./cli/... ./assets/... ./internal/...

.PHONY: all run build test vet unit fuzz fuzz-short bench deps deps-run clean

all: build

deps:
	@scripts/deps.sh test
	go mod download

deps-run:
	@scripts/deps.sh run
	go mod download

build: deps-run
	go build -tags '$(TAGS)' -ldflags '$(LDFLAGS)' -o softtoken .

run: build
	./softtoken

test: deps vet unit fuzz-short

vet:
	@test -z "$$(gofmt -l .)" || { echo "gofmt would change:"; gofmt -l .; exit 1; }
	go vet ./...
	CGO_ENABLED=0 GOOS=windows go vet $(NOCGO_WINDOWS)
	CGO_ENABLED=0 GOOS=darwin go vet $(NOCGO_DARWIN)

# The whole suite against a real Secret Service and a real X display, each
# private to the run (scripts/with-services.sh). SOFTTOKEN_REQUIRE_TOOLS
# turns a missing service or tool into a failure instead of a skip.
unit:
	SOFTTOKEN_REQUIRE_TOOLS=1 scripts/with-services.sh go test -race -count=1 ./...

# A few seconds per fuzz target in make test; make fuzz runs them longer.
fuzz-short:
	@$(MAKE) --no-print-directory fuzz FUZZTIME=5s

fuzz:
	go test -run '^$$' -fuzz '^FuzzParseURI$$' -fuzztime $(FUZZTIME) ./token
	go test -run '^$$' -fuzz '^FuzzParseMigration$$' -fuzztime $(FUZZTIME) ./token

bench:
	go test -run '^$$' -bench . -benchmem ./...

clean:
	rm -f softtoken
