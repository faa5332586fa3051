# libnetfilter_conntrack, the Rust drop-in: build, header, install, tests.
#
#   make                    build the library (target/release/libnetfilter_conntrack.so)
#   make header             refresh the committed header from the Rust sources
#   make install            install under PREFIX (default /usr/local), into DESTDIR
#   make uninstall          remove what make install put there
#   make test               every test, in order; a summary of failed steps at the end
#   make demo               unmodified conntrack -L on our library, in a private namespace
#   make deps               the Debian packages and the reference that demo and test use
#   make help               every target, with a line about each
#
# Cargo's target directory follows CARGO_TARGET_DIR when it is set.

PREFIX     ?= /usr/local
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR    ?=

CARGO   ?= cargo
PYTHON  ?= python3

# The C API version, and the library file name's version: the reference
# 1.1.0 installs libnetfilter_conntrack.so.3.8.0; the soname stays .so.3.
VERSION    := 1.1.1
SOVERSION  := 3
LIBVERSION := 3.9.0

TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
LIB        := $(TARGET_DIR)/release/libnetfilter_conntrack.so
LIBNAME    := libnetfilter_conntrack.so
HEADERS    := $(wildcard include/libnetfilter_conntrack/*.h)
REF        := ref/trixie
REF_LIB    := $(REF)/usr/lib/x86_64-linux-gnu
REF_INCLUDE := $(REF)/usr/include

# In the .pc file, paths under PREFIX are written relative to ${prefix}.
pc_path = $(patsubst $(PREFIX)/%,$${prefix}/%,$(1))

.PHONY: all build header install uninstall test demo deps reference help \
	test-cargo test-lint test-abi test-header-build test-capi test-bench test-kernel \
	test-examples test-install test-fuzz fuzz-long bench-peers

## all: build the library (cargo build --release)
all: build

build:
	$(CARGO) build --release

## help: list the targets
help:
	@sed -n 's/^## /  /p' $(firstword $(MAKEFILE_LIST))

## header: copy the header that build.rs generated into include/ (commit it)
header:
	@out=$$($(CARGO) build --release --message-format=json-render-diagnostics | \
		grep '"reason":"build-script-executed"' | \
		grep '"package_id":"[^"]*netfilter-conntrack' | \
		sed -n 's/.*"out_dir":"\([^"]*\)".*/\1/p' | tail -n 1); \
	test -f "$$out/libnetfilter_conntrack.h" || { echo "no generated header (cargo build failed?)"; exit 1; }; \
	if cmp -s "$$out/libnetfilter_conntrack.h" include/libnetfilter_conntrack/libnetfilter_conntrack.h; then \
		echo "include/libnetfilter_conntrack/libnetfilter_conntrack.h is up to date"; \
	else \
		cp "$$out/libnetfilter_conntrack.h" include/libnetfilter_conntrack/libnetfilter_conntrack.h; \
		echo "updated include/libnetfilter_conntrack/libnetfilter_conntrack.h"; \
	fi

## install: install the built library, its symlinks, the headers and the .pc file
install:
	@test -f $(LIB) || { echo "$(LIB) is missing: run make first"; exit 1; }
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/libnetfilter_conntrack $(DESTDIR)$(PKGCONFIGDIR)
	install -m 0755 $(LIB) $(DESTDIR)$(LIBDIR)/$(LIBNAME).$(LIBVERSION)
	ln -sf $(LIBNAME).$(LIBVERSION) $(DESTDIR)$(LIBDIR)/$(LIBNAME).$(SOVERSION)
	ln -sf $(LIBNAME).$(SOVERSION) $(DESTDIR)$(LIBDIR)/$(LIBNAME)
	install -m 0644 $(HEADERS) $(DESTDIR)$(INCLUDEDIR)/libnetfilter_conntrack/
	sed -e '/^#/d' \
	    -e 's|@PREFIX@|$(PREFIX)|' \
	    -e 's|@LIBDIR@|$(call pc_path,$(LIBDIR))|' \
	    -e 's|@INCLUDEDIR@|$(call pc_path,$(INCLUDEDIR))|' \
	    -e 's|@VERSION@|$(VERSION)|' \
	    pkgconfig/libnetfilter_conntrack.pc.in | sed '/./,$$!d' >$(DESTDIR)$(PKGCONFIGDIR)/libnetfilter_conntrack.pc
	chmod 0644 $(DESTDIR)$(PKGCONFIGDIR)/libnetfilter_conntrack.pc

## uninstall: remove the files make install put under PREFIX
uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/$(LIBNAME).$(LIBVERSION) \
	      $(DESTDIR)$(LIBDIR)/$(LIBNAME).$(SOVERSION) \
	      $(DESTDIR)$(LIBDIR)/$(LIBNAME) \
	      $(DESTDIR)$(PKGCONFIGDIR)/libnetfilter_conntrack.pc \
	      $(addprefix $(DESTDIR)$(INCLUDEDIR)/libnetfilter_conntrack/,$(notdir $(HEADERS)))
	rmdir $(DESTDIR)$(INCLUDEDIR)/libnetfilter_conntrack 2>/dev/null || true

## reference: fetch the trixie reference library and headers into ref/ (once)
reference:
	.ci/fetch-reference

## deps: install missing Debian packages (.ci/install-deps), fetch the reference
deps:
	.ci/install-deps
	.ci/fetch-reference

# The steps of make test, in order. Each runs as its own target (make test-abi);
# make test runs them all, even after a failure, and fails at the end.
TEST_STEPS := test-cargo test-lint test-abi test-header-build test-capi test-bench test-kernel \
	test-examples test-install test-fuzz

## test: run every test step below, then list the ones that failed
test: deps
	@failed=""; \
	for step in $(TEST_STEPS); do \
		echo "==> $$step"; \
		$(MAKE) --no-print-directory $$step || failed="$$failed $$step"; \
	done; \
	if [ -n "$$failed" ]; then echo "make test: FAILED:$$failed"; exit 1; fi; \
	echo "make test: all steps passed"

## test-cargo: Rust unit and integration tests (tests/header.rs checks the committed header)
test-cargo:
	$(CARGO) test

## test-lint: clippy with warnings as errors, and rustfmt
test-lint:
	@status=0; \
	$(CARGO) clippy --all-targets -- -D warnings || status=1; \
	$(CARGO) fmt --check || status=1; \
	exit $$status

## test-abi: the .so exports exactly the public functions; the headers match the reference
test-abi: build reference
	abi/check-symbols $(LIB)
	$(PYTHON) abi/check-header.py $(REF_INCLUDE) include abi/public-symbols.txt

## test-header-build: the headers compile in every setting (C, C++, with and without libnfnetlink)
test-header-build: reference
	abi/check-build include $(REF_INCLUDE)

# Programs run a second time under valgrind memcheck: every byte handed to
# SO_ATTACH_FILTER must be initialised.
CAPI_VALGRIND_TESTS := filter_program filter_program_common filter_events filter_events_ours bad_filter

## test-capi: the C API tests, ours against the reference; the filter programs also under valgrind
test-capi: build reference
	@if [ -x capi-tests/run ]; then CAPI_NO_BUILD=1 capi-tests/run && \
		CAPI_NO_BUILD=1 CAPI_VALGRIND=1 capi-tests/run $(CAPI_VALGRIND_TESTS); \
	else echo "capi-tests/run does not exist yet: skipped"; fi

## test-bench: the benchmark harness still builds and measures a case on both libraries (bench/api --smoke)
test-bench: build reference
	BENCH_NO_BUILD=1 bench/api --smoke

## test-kernel: kernel tests in private network namespaces (event filters, unmodified conntrack, incomplete objects, a Python ctypes client)
test-kernel: build reference
	tests/filter_kernel.sh
	@if [ -x tests/kernel/run ]; then tests/kernel/run; \
	else echo "tests/kernel/run does not exist yet: skipped"; fi
	tests/incomplete/run
	PYTHON=$(PYTHON) tests/python/run
	CTD_NO_BUILD=1 tests/conntrackd/run
	EVENTS_NO_BUILD=1 tests/events/run

## test-examples: the Rust API's examples (list, watch, delete, stats) in a private namespace
test-examples:
	tests/examples/run

## test-install: install into a temporary DESTDIR and build a program with pkg-config
test-install: build
	abi/test-install

FUZZ_RUNS    ?= 100000
FUZZ_SECONDS ?= 1200
FUZZ_ASAN    ?= 1

## test-fuzz: replay the fuzz seeds and regressions, then FUZZ_RUNS inputs per fuzz target (fixed seed)
test-fuzz:
	fuzz/run replay
	fuzz/run smoke $(FUZZ_RUNS)

## fuzz-long: fuzzing campaign, FUZZ_SECONDS per target, with ASan unless FUZZ_ASAN=0 (fuzz/README.md)
fuzz-long:
	FUZZ_ASAN=$(FUZZ_ASAN) fuzz/run long $(FUZZ_SECONDS)

## bench: conntrack -L on our library against the reference (bench/run, bench/README.md)
.PHONY: bench bench-api bench-conntrackd bench-peers
bench: reference
	bench/run

## bench-peers: a 200,000-entry dump by our Rust API, our C API, the reference, Go and Python (bench/peers)
bench-peers: reference
	.ci/install-deps --bench-peers
	bench/peers/run

BENCH_API_ARGS ?= --markdown /tmp/nfct-bench-api.md
BENCH_CONNTRACKD_ARGS ?= --markdown /tmp/nfct-bench-conntrackd.md

## bench-api: instructions per call of every object-API function, ours against 1.1.0 (bench/api)
bench-api: build reference
	BENCH_NO_BUILD=1 bench/api $(BENCH_API_ARGS)

## bench-conntrackd: the unmodified conntrackd under a 20,000-flow burst, both libraries (bench/conntrackd)
bench-conntrackd: reference
	bench/conntrackd $(BENCH_CONNTRACKD_ARGS)

## demo: build, then show exported symbols and object sizes against the reference
demo: deps build
	abi/demo $(LIB) $(REF_LIB)
