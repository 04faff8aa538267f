# git-credential-azdo. `make help` lists the targets.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBEXECDIR ?= $(PREFIX)/libexec
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share
SYSTEMDUSERDIR ?= $(PREFIX)/lib/systemd/user
DESTDIR ?=
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Build: libsecret and glib headers, libcurl (the GnuTLS flavour git itself uses). Tests, demo and benchmark: the three Secret Services
# Linux desktops run, headless (gnome-keyring; KeePassXC; kwalletd5, with the QCA plugins its
# encrypted sessions need), dbus (dbus-monitor included), secret-tool, git, python3 for the
# test scripts, openssl for the tests' certificates, hyperfine and python3-pip (Git Credential
# Manager) for the benchmark.
APT_PACKAGES := libsecret-1-dev libglib2.0-dev libcurl4-gnutls-dev pkg-config gnome-keyring keepassxc libkf5wallet-bin \
	libqca-qt5-2-plugins libsecret-tools dbus git python3 python3-gi gir1.2-glib-2.0 hyperfine \
	python3-pip groff-base debhelper lintian man-db openssl
RELEASE_FLAGS := -c release --static-swift-stdlib
KEYRING := Tests/Support/keyring-session.sh
# The tests take 2 to 4 minutes here; past this many seconds they are stopped, naming the
# tests that had not finished (Tests/Support/supervise.py, from Swift Testing's event stream).
TEST_DEADLINE ?= 1200
# The keyring matrix: the suites run against every Secret Service in KEYRING_SERVICES
# (Tests/Support/run-tests.sh); a service that cannot start, or a test skipped, fails it.
KEYRING_MATRIX := SecretServiceStoreTests|KeyringFailureTests|ReplaceRaceTests|RefreshTokenStoreTests|KeyringHelperTests|GitCloneTests|SecretServiceMatrixTests|LifecycleCLITests/fullLifecycle|RefresherCLITests/rotation\(
KEYRING_SERVICES := gnome-keyring keepassxc kwallet

.PHONY: help deps build release helper emulator completions install uninstall install-check deb deb-check deb-install-check fuzz lint test demo bench clean

help:
	@echo "make deps     install the Debian packages needed to build, test and benchmark"
	@echo "make build    debug build"
	@echo "make release  release builds with the static Swift runtime (.build/release/git-credential-azdo{,-lifecycle})"
	@echo "make install  install into \$$(DESTDIR)\$$(PREFIX) (default /usr/local): binaries, man page, completions, systemd units"
	@echo "make uninstall  remove what make install installed"
	@echo "make deb     a Debian package in .build/deb (debhelper), checked by lintian"
	@echo "make lint     swift-format's rules over Sources and Tests (.swift-format)"
	@echo "make test     lint, then all tests in private D-Bus sessions with throwaway keyrings; the keyring matrix against gnome-keyring, KeePassXC and KWallet (TEST_DEADLINE seconds at most)"
	@echo "make demo     demo against the emulator: login, pat create, silent clone and push, list, revoke"
	@echo "make fuzz     libFuzzer on the protocol parser, the PAT API JSON and D-Bus replies (FUZZ_SECONDS each, default 300)"
	@echo "make bench    get/fill against git's C libsecret helper on gnome-keyring, KeePassXC and KWallet; store/erase and GCM on gnome-keyring; refresh over 200 PATs; daemon RSS"

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

# swift-format's rules, configured in .swift-format to the code as it is. Its layout check is
# off (--debug-disable-pretty-print): no setting of it matches the code's hand-wrapped lines,
# and reformatting 75 files to suit it would change nothing a reader needs.
lint:
	$(SWIFT) format lint --strict --parallel --recursive --debug-disable-pretty-print Sources Tests Package.swift

test: lint
	$(SWIFT) build --build-tests
	Tests/Support/leak-watch.sh Tests/Support/supervise.py $(TEST_DEADLINE) \
		Tests/Support/run-tests.sh .build/debug/git-credential-azdoPackageTests.xctest '$(KEYRING_MATRIX)' $(KEYRING_SERVICES)
	$(MAKE) install-check deb-check
	$(MAKE) fuzz FUZZ_SECONDS=15
	if [ "$$CI" = true ]; then $(MAKE) deb-install-check DEB_BUILT=1; else echo "make test: dpkg -i of the package runs in CI only (make deb-install-check)"; fi

# make install into a scratch DESTDIR, the installed binary from a clean shell, make uninstall.
install-check: release completions
	$(SWIFT) build --product azdo-emulator
	$(KEYRING) Tests/Support/install-check.sh

# bash, zsh and fish completions, from the argument parser's description of every command.
completions: release
	mkdir -p .build/completions
	for shell in bash zsh fish; do \
		.build/release/git-credential-azdo-lifecycle --generate-completion-script $$shell > .build/completions/$$shell || exit 1; \
	done
	# bash-completion sources these files; a #! line would only mislead.
	sed -i '1{/^#!/d}' .build/completions/bash

# git runs $(BINDIR)/git-credential-azdo; it execs the lifecycle executable from
# $(LIBEXECDIR)/git-credential-azdo for every command that is not git's.
install: release completions
	install -D -m 755 .build/release/git-credential-azdo $(DESTDIR)$(BINDIR)/git-credential-azdo
	install -D -m 755 .build/release/git-credential-azdo-lifecycle \
		$(DESTDIR)$(LIBEXECDIR)/git-credential-azdo/git-credential-azdo-lifecycle
	install -D -m 644 Packaging/man/git-credential-azdo.1 $(DESTDIR)$(MANDIR)/man1/git-credential-azdo.1
	install -D -m 644 .build/completions/bash $(DESTDIR)$(DATADIR)/bash-completion/completions/git-credential-azdo
	install -D -m 644 .build/completions/zsh $(DESTDIR)$(DATADIR)/zsh/vendor-completions/_git-credential-azdo
	install -D -m 644 .build/completions/fish $(DESTDIR)$(DATADIR)/fish/vendor_completions.d/git-credential-azdo.fish
	@# The units' one source is the executable's (`refresher enable` writes the same text).
	rm -rf .build/systemd
	.build/release/git-credential-azdo-lifecycle refresher write-units --executable $(BINDIR)/git-credential-azdo .build/systemd
	install -D -m 644 -t $(DESTDIR)$(SYSTEMDUSERDIR) .build/systemd/git-credential-azdo-refresh.service \
		.build/systemd/git-credential-azdo-refresh.timer

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/git-credential-azdo $(DESTDIR)$(MANDIR)/man1/git-credential-azdo.1
	rm -rf $(DESTDIR)$(LIBEXECDIR)/git-credential-azdo
	rm -f $(DESTDIR)$(DATADIR)/bash-completion/completions/git-credential-azdo \
		$(DESTDIR)$(DATADIR)/zsh/vendor-completions/_git-credential-azdo \
		$(DESTDIR)$(DATADIR)/fish/vendor_completions.d/git-credential-azdo.fish
	rm -f $(DESTDIR)$(SYSTEMDUSERDIR)/git-credential-azdo-refresh.service \
		$(DESTDIR)$(SYSTEMDUSERDIR)/git-credential-azdo-refresh.timer

# A Debian package from Packaging/debian with debhelper, into .build/deb; lintian checks it.
# dpkg-buildpackage wants ./debian, so it is a link for the duration of the build.
deb:
	mkdir -p .build/deb
	ln -sfn Packaging/debian debian
	dpkg-buildpackage -b -us -uc \
		--buildinfo-option=-u.build/deb --buildinfo-option=-O.build/deb/git-credential-azdo.buildinfo \
		--changes-option=-u.build/deb --changes-option=-O.build/deb/git-credential-azdo.changes; \
		status=$$?; rm -rf debian Packaging/debian/git-credential-azdo Packaging/debian/.debhelper \
		Packaging/debian/files Packaging/debian/*.substvars Packaging/debian/*.debhelper Packaging/debian/*.debhelper.log \
		Packaging/debian/debhelper-build-stamp; exit $$status
	lintian --fail-on error,warning --suppress-tags-from-file Packaging/debian/lintian-explained .build/deb/*.deb

# The package's files in a scratch root, used from a clean shell against the emulator.
deb-check: deb
	$(SWIFT) build --product azdo-emulator
	@# The binaries load gio, libsecret and libcurl with dlopen, which dpkg-shlibdeps cannot see.
	dpkg-deb -f .build/deb/git-credential-azdo_*_*.deb Depends | grep -q 'libsecret-1-0 (>= 0.18), libglib2.0-0 (>= 2.44), libcurl3-gnutls (>= 7.85) | libcurl4 (>= 7.85), libgnutls30'
	$(KEYRING) Tests/Support/install-check.sh --deb .build/deb/git-credential-azdo_*_*.deb

# dpkg -i of the package on this machine, the installed binary run, then dpkg -r. It changes
# the system, so `make test` runs it only in CI (CI=true, a throwaway machine).
# DEB_BUILT=1 (from `make test`, whose deb-check has just built it) installs the package
# already in .build/deb instead of building it again.
deb-install-check: $(if $(DEB_BUILT),,deb)
	$(SUDO) dpkg -i .build/deb/git-credential-azdo_*_*.deb
	env -i HOME=$$(mktemp -d) PATH=/usr/bin:/bin git credential-azdo --version
	env -i HOME=$$(mktemp -d) PATH=/usr/bin:/bin git-credential-azdo doctor --offline | grep -q "^FAIL  session bus"
	man -w git-credential-azdo >/dev/null
	$(SUDO) dpkg -r git-credential-azdo
	! test -e /usr/bin/git-credential-azdo

# libFuzzer on the credential protocol parser, the PAT API's JSON answers and the D-Bus
# messages the keyring lookup reads, side by side, FUZZ_SECONDS each (default 300);
# new interesting inputs go to .build-fuzz/corpus (Tests/Support/fuzz.sh).
# `make test` runs the short smoke, `make fuzz FUZZ_SECONDS=15`.
FUZZ_SECONDS ?= 300
fuzz:
	$(SWIFT) build -c release --scratch-path .build-fuzz --product azdo-fuzz \
		-Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xcc -fsanitize=fuzzer-no-link,address
	Tests/Support/fuzz.sh .build-fuzz/release/azdo-fuzz $(FUZZ_SECONDS)

# The emulator plays Azure DevOps and Entra for the demo and the benchmarks; it is never installed.
emulator:
	$(SWIFT) build $(RELEASE_FLAGS) --product azdo-emulator

demo: release emulator
	$(KEYRING) Tests/Support/demo.sh .build/release

bench: release emulator
	for service in $(KEYRING_SERVICES); do Benchmarks/bench.sh --service $$service .build/release/git-credential-azdo || exit 1; done
	Benchmarks/refresh-bench.sh .build/release

clean:
	rm -rf .build Benchmarks/.work
