# softtoken — make run: build and start the window; make test: everything CI
# checks; make release: the packages to hand out, into dist/. All install
# missing Debian packages when run as root.
#
# make test builds what it checks (the Linux package, the Windows program)
# into build/, apart from dist/: a test build trusts the test key and is
# signed with a throw-away certificate, and is never to be handed out.

MODULE  := github.com/cityadmin/softtoken
# Worked out once per run (:=) and handed to sub-makes, so that every
# build and check of one run agrees on them.
ifeq ($(origin VERSION),undefined)
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
endif
ifeq ($(origin COMMIT),undefined)
COMMIT  := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
endif
ifeq ($(origin DATE),undefined)
DATE    := $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
endif
export VERSION COMMIT DATE
LDFLAGS := -X $(MODULE)/cli.Version=$(VERSION) -X $(MODULE)/cli.Commit=$(COMMIT) -X $(MODULE)/cli.Date=$(DATE)
# Build tags of the app: no_emoji leaves out Fyne's colour emoji font (no
# string of ours needs it; names with emoji fall back to the system's
# fonts), which Fyne would otherwise parse once per text style: 14 MB of
# RSS and 4 MB of binary. ACCESSIBILITY=1 adds the screen-reader bridge.
# Exported for the packaging scripts.
TAGS    := no_emoji$(if $(ACCESSIBILITY), accessibility,)
export SOFTTOKEN_TAGS := $(TAGS)
# TEST_KEY=1 makes the build trust the public test key of launcher/testdata,
# to try profiles signed with it. Never for a build handed out.
ifdef TEST_KEY
LDFLAGS += -X $(MODULE)/launcher.TrustedKeys=softtoken-test:/4RTQMitqwLzHKysYpKH7aXQ5vj3Bq4TqloqurQ6O+Y=
endif
# ORG=path/to/org/ brands the packages for an organisation (docs/rollout.md):
# the folder's name (first line: menus, version info), icon.png (square
# PNG), keys (first line: the public profile keys, as for TrustedKeys) and
# profile.signed (the default profile, installed on the first start).
ORG_NAME := $(if $(ORG),$(shell head -n1 '$(ORG)/name'),softtoken)
ORG_ICON := $(if $(wildcard $(ORG)/icon.png),$(ORG)/icon.png,assets/icon.png)
ifneq ($(ORG),)
LDFLAGS += -X $(MODULE)/launcher.TrustedKeys=$(shell head -n1 '$(ORG)/keys')
ifneq ($(wildcard $(ORG)/profile.signed),)
LDFLAGS += -X main.defaultProfile=$(shell base64 -w0 '$(ORG)/profile.signed')
endif
endif
# The name goes to the packaging scripts through the environment, unquoted.
export SOFTTOKEN_NAME := $(ORG_NAME)
# Packages: the numeric version of FyneApp.toml names them and goes into
# Windows' version info; VERSION is what softtoken version prints.
APP_VERSION := $(shell sed -n 's/^ *Version *= *"\([0-9.]*\)".*/\1/p' FyneApp.toml)
DIST        ?= dist
# What make test builds to check it: not for handing out.
BUILD       ?= build
RELEASE_LDFLAGS = $(LDFLAGS) -s -w
TARBALL      = $(DIST)/softtoken-$(APP_VERSION)-linux-$(shell go env GOARCH).tar.xz
FUZZTIME ?= 60s
# How many runs the fuzzer may spend minimising each new find. Go's
# minimiser is quadratic in the input's length and defaults to a minute per
# find: with inputs of a few hundred bytes at a fraction of a millisecond
# each, every find stalled a target for that minute (FuzzAegis ran 4 inputs
# in 20 s). A count, not a duration, for the reason given at fuzz-short.
FUZZMINIMIZE ?= 2000x

# Packages that build without cgo, vetted for Windows and macOS too. The
# GUI needs cgo on macOS (and main everywhere), so it is vetted natively.
NOCGO_WINDOWS := ./token/... ./store/... ./scan/... ./launcher/... ./explain/... ./doctor/... ./cli/... ./assets/... ./internal/... ./ui/...
NOCGO_DARWIN  := ./token/... ./store/... ./scan/... ./launcher/... ./explain/... ./doctor/... ./cli/... ./assets/... ./internal/...

# Every fuzz target, as package:Name.
FUZZ_TARGETS := token:FuzzParseURI token:FuzzParseMigration store:FuzzReadBackup \
	store/imports:FuzzURIList store/imports:FuzzAegis store/imports:FuzzTwoFAS store/imports:FuzzAndOTP \
	scan:FuzzDecode scan:FuzzDecodePNGGray launcher:FuzzVerify launcher:FuzzParseProfile

.PHONY: all run build test vet unit realwin fuzz fuzz-short crashtest bench bench-go bench-zbar bench-code bench-gui deps deps-run clean \
	release package test-package test-wayland install uninstall windows windows-check wine-test macos

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

test: deps vet unit realwin fuzz-short test-package wine-test test-wayland

vet:
	@test -z "$$(gofmt -l .)" || { echo "gofmt would change:"; gofmt -l .; exit 1; }
	go vet ./...
	CGO_ENABLED=0 GOOS=windows go vet $(NOCGO_WINDOWS)
	CGO_ENABLED=0 GOOS=darwin go vet $(NOCGO_DARWIN)
	go vet -tags waylandtest ./internal/wayland

# The whole suite against a real Secret Service and a real X display, each
# private to the run (scripts/with-services.sh), and a real RDP server
# with pam_oath that the launches log in to (scripts/with-rig.sh; as
# root). SOFTTOKEN_REQUIRE_TOOLS turns a missing service or tool into a
# failure instead of a skip.
unit:
	SOFTTOKEN_REQUIRE_TOOLS=1 scripts/with-rig.sh scripts/with-services.sh go test -race -count=1 ./...

# The real window driven as a person does (gui/): the built program under
# Xvfb with openbox, the mouse and keys through xdotool, the clipboard
# through xclip, what it shows read by tesseract. SOFTTOKEN_SHOTS=DIR
# keeps the screenshots. One window at a time, so after unit.
realwin: deps
	SOFTTOKEN_REALWIN=1 SOFTTOKEN_REQUIRE_TOOLS=1 scripts/with-services.sh go test -count=1 -timeout 20m ./gui/

# A few seconds' worth of inputs per fuzz target in make test; make fuzz
# runs them longer. A count, not a duration: Go 1.26's fuzz coordinator can
# fail a target with a bare "context deadline exceeded" when a duration
# runs out while a worker is mid-input (go.dev/issue/75804, fixed in 1.27);
# a count has no deadline to race.
fuzz-short:
	@$(MAKE) --no-print-directory fuzz FUZZTIME=30000x

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		echo "go test -run '^$$' -fuzz '^$${t#*:}$$' -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) ./$${t%%:*}"; \
		go test -run '^$$' -fuzz "^$${t#*:}\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) ./$${t%%:*}; \
	done

# The crash tests at full strength: 1,000 SIGKILLs of adds, removes and
# HOTP steps, and 1,000 of vault create/undo with adds meanwhile (make
# test runs 100 and 12).
crashtest: deps
	SOFTTOKEN_REQUIRE_TOOLS=1 scripts/with-services.sh go test -count=1 -timeout 120m -run '^TestCrash(Move)?$$' -v ./store -args -crash.kills=1000 -crash.movekills=1000

# The figures of issue 16, each as a ratio against its counterpart, whole
# processes alternating A B A B, medians with min and max (~15 minutes):
# scanning against zbarimg, softtoken code against secret-tool, the window
# against OTPClient and a bare Fyne window. A figure above its goal is
# reported, not fatal: the machine's load moves them.
bench:
	@scripts/deps.sh bench
	-scripts/with-services.sh bench/scan-vs-zbar.sh
	-scripts/with-services.sh bench/code-vs-secret-tool.sh
	scripts/with-services.sh bench/gui.sh

# The Go micro-benchmarks against the real services (keychain, X display).
bench-go: deps
	SOFTTOKEN_REQUIRE_TOOLS=1 scripts/with-services.sh go test -run '^$$' -bench . -benchmem ./...

# softtoken add --image against zbarimg on Chromium screenshots of
# enrollment pages (bench/pages), as whole processes.
bench-zbar:
	@scripts/deps.sh bench
	scripts/with-services.sh bench/scan-vs-zbar.sh

# softtoken code QUERY against secret-tool lookup, 20 accounts.
bench-code:
	@scripts/deps.sh bench
	scripts/with-services.sh bench/code-vs-secret-tool.sh

# The window against Debian's OTPClient and a bare Fyne window: first
# start, first code painted, memory, CPU focused and left alone, focused
# and in use, unfocused and hidden (bench/gui.sh; ~10 minutes).
bench-gui:
	@scripts/deps.sh bench
	scripts/with-services.sh bench/gui.sh

# The Linux package: $(TARBALL), with the program, its icon and a menu
# entry that handles otpauth:// links (packaging/linux).
package:
	@scripts/deps.sh package
	@mkdir -p $(DIST)
	go build -trimpath -tags '$(TAGS)' -ldflags '$(RELEASE_LDFLAGS)' -o $(DIST)/softtoken .
	packaging/linux/package.sh $(DIST)/softtoken $(APP_VERSION) $(DIST) "$$SOFTTOKEN_NAME" '$(ORG_ICON)'

# The packages to hand out: the Linux package and the signed Windows
# program, into $(DIST) (SIGN_PKCS12 names the real certificate; ORG=...
# brands them). The macOS .app is built on a Mac: make macos.
release: package windows-check

# The package checked as a person uses it, built into $(BUILD)/package:
# installed into a temporary HOME; and a branded one, of the example
# organisation (packaging/org-example).
test-package:
	@$(MAKE) --no-print-directory package DIST=$(BUILD)/package
	packaging/test-package.sh $(BUILD)/package/$(notdir $(TARBALL)) '$(VERSION)'
	@$(MAKE) --no-print-directory package ORG=packaging/org-example DIST=$(BUILD)/package/org-example
	packaging/test-package.sh $(BUILD)/package/org-example/$(notdir $(TARBALL)) '$(VERSION)' packaging/org-example

# The packaged program on a real Wayland desktop private to the run
# (scripts/with-wayland.sh: headless sway, the real screenshot portal,
# Chromium showing the QR code; internal/wayland): add --screen through the
# portal, the window as a native Wayland window and its Scan screen; then
# the same desktop without a portal, and with one that fails, and what
# softtoken says there.
test-wayland:
	@$(MAKE) --no-print-directory package DIST=$(BUILD)/package
	@scripts/deps.sh wayland
	SOFTTOKEN_BIN=$(abspath $(BUILD)/package)/softtoken scripts/with-wayland.sh \
		go test -tags waylandtest -count=1 -v -run '^TestDesktop' ./internal/wayland
	SOFTTOKEN_BIN=$(abspath $(BUILD)/package)/softtoken scripts/with-wayland.sh --no-portal \
		go test -tags waylandtest -count=1 -v -run '^TestNoPortal' ./internal/wayland
	SOFTTOKEN_BIN=$(abspath $(BUILD)/package)/softtoken scripts/with-wayland.sh --screenshot-fails \
		go test -tags waylandtest -count=1 -v -run '^TestFailingPortal' ./internal/wayland

# For this user alone, into ~/.local (PREFIX=... elsewhere).
install: package
	$(DIST)/softtoken-$(APP_VERSION)/install.sh

uninstall:
	packaging/linux/install.sh --uninstall

# dist/softtoken.exe for 64-bit Windows, cross-built with mingw-w64, with
# icon and version info, signed (packaging/windows/sign.sh: a throw-away
# certificate unless SIGN_PKCS12 names the real one).
windows:
	@scripts/deps.sh windows
	@mkdir -p $(DIST)
	packaging/windows/build.sh $(DIST)/softtoken-unsigned.exe $(APP_VERSION) '$(VERSION)' "$$SOFTTOKEN_NAME" '$(ORG_ICON)' '$(RELEASE_LDFLAGS)'
	packaging/windows/sign.sh $(DIST)/softtoken-unsigned.exe $(DIST)/softtoken.exe
	rm -f $(DIST)/softtoken-unsigned.exe

# The .exe checked: PE32+, our version info and icon, a valid signature.
windows-check: windows
	packaging/windows/check.sh $(DIST)/softtoken.exe $(APP_VERSION)

# The Windows program run under Wine (packaging/windows/wine/test.sh: the
# command line, the crash test, the RDP launch, the window, the otpauth
# handler, the single instance). make test builds the .exe once, into
# $(BUILD)/wine apart from a release build, trusting the test key
# (TEST_KEY=1) so that the test can install test-signed profiles; checks
# it as windows-check checks every build, and runs it.
wine-test:
	@$(MAKE) --no-print-directory windows-check TEST_KEY=1 DIST=$(BUILD)/wine
	@scripts/deps.sh wine
	SOFTTOKEN_REQUIRE_TOOLS=1 packaging/windows/wine/test.sh $(BUILD)/wine/softtoken.exe

# The macOS .app, on a Mac only (packaging/macos/build.sh says what it needs).
macos:
	packaging/macos/build.sh $(DIST) $(APP_VERSION) '$(VERSION)' "$$SOFTTOKEN_NAME" '$(ORG_ICON)' '$(RELEASE_LDFLAGS)'

clean:
	rm -f softtoken
	rm -rf $(DIST) $(BUILD)
