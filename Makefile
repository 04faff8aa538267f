# git-credential-azdo. `make help` lists the targets.
PREFIX ?= /usr/local
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Build: libsecret and glib headers. Tests, demo and benchmark: a headless Secret Service
# (gnome-keyring, dbus), secret-tool, git, python3 for the test git server, hyperfine.
APT_PACKAGES := libsecret-1-dev libglib2.0-dev pkg-config gnome-keyring libsecret-tools dbus \
	git python3 python3-gi gir1.2-glib-2.0 hyperfine groff-base
RELEASE_FLAGS := -c release --static-swift-stdlib
KEYRING := Tests/Support/keyring-session.sh

.PHONY: help deps build release helper emulator test demo bench clean

help:
	@echo "make deps     install the Debian packages needed to build, test and benchmark"
	@echo "make build    debug build"
	@echo "make release  release builds with the static Swift runtime (.build/release/git-credential-azdo{,-lifecycle})"
	@echo "make test     all tests, inside a private D-Bus session with a throwaway keyring"
	@echo "make demo     demo against the emulator: login, pat create, silent clone and push, list, revoke"
	@echo "make bench    get/fill latency against git's C libsecret helper; refresh over 200 PATs; daemon idle RSS"

deps:
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(APT_PACKAGES)

build:
	$(SWIFT) build

release: helper
	$(SWIFT) build $(RELEASE_FLAGS) --product git-credential-azdo-lifecycle

# The helper git runs; the lifecycle executable (login, pat) is not needed for get/store/erase.
helper:
	$(SWIFT) build $(RELEASE_FLAGS) --product git-credential-azdo

test:
	$(SWIFT) build --build-tests
	$(KEYRING) --notifications $(SWIFT) test --skip-build

# The emulator plays Azure DevOps and Entra for the demo and the benchmarks; it is never installed.
emulator:
	$(SWIFT) build $(RELEASE_FLAGS) --product azdo-emulator

demo: release emulator
	$(KEYRING) Tests/Support/demo.sh .build/release

bench: release emulator
	Benchmarks/bench.sh .build/release/git-credential-azdo
	Benchmarks/refresh-bench.sh .build/release

clean:
	rm -rf .build Benchmarks/.work
