# esock: GNU Make. `make run` builds and starts esock, `make check` builds
# and runs every test; both install what they need with apt-get first
# (Debian), when it is missing.

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man/man1

CC ?= cc
BACKEND ?=
SANITIZE ?=

BUILDDIR = build$(if $(SANITIZE),-san)$(if $(BACKEND),-$(BACKEND))
ESOCK = $(BUILDDIR)/esock

WARN = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2
CFLAGS ?= -O2 -g
EDIT_CFLAGS := $(shell pkg-config --cflags libedit 2>/dev/null)
# libedit is dlopen()ed by the REPL (see src/repl.c); only its headers
# are needed to build.
EDIT_LIBS = -ldl -pthread
# libm for the math module's functions.
LIBS = $(EDIT_LIBS) -lm
ALL_CFLAGS = -std=c11 $(WARN) $(CFLAGS) $(EDIT_CFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS)
# gcc optimises across files at link time (the interpreter's small term
# and socket helpers inline into it); not under the sanitizers.
# (Asked of the compiler once, not at each file.)
ifeq ($(origin LTO),undefined)
LTO := $(if $(SANITIZE),,$(if $(shell $(CC) -v 2>&1 | grep '^gcc version'),-flto=auto))
endif
ALL_CFLAGS += $(LTO)
ifneq ($(SANITIZE),)
ALL_CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
ALL_LDFLAGS += -fsanitize=address,undefined
endif
ifeq ($(BACKEND),poll)
ALL_CFLAGS += -DESOCK_FORCE_POLL
endif

# The loop backends are #included by loop.c, never compiled alone.
SRCS = $(filter-out src/loop_%.c,$(wildcard src/*.c))
OBJS = $(patsubst src/%.c,$(BUILDDIR)/%.o,$(SRCS))

# Packages: what building needs, and what the tests need on top.
BUILD_PKGS = gcc make pkg-config libedit-dev
CHECK_PKGS = $(BUILD_PKGS) bats erlang-base tmux socat ncat netcat-openbsd \
	iperf3 mandoc clang clang-format iproute2 procps jq strace xxd
BENCH_PKGS = $(CHECK_PKGS) hyperfine

.PHONY: all run check test install uninstall clean bench deps deps-check \
	deps-bench format format-check completions fuzz fuzz-replay layers \
	soak memcheck dist distcheck

all: $(ESOCK)

$(ESOCK): $(OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $(OBJS) $(ALL_LDFLAGS) $(LIBS)

$(BUILDDIR)/%.o: src/%.c | $(BUILDDIR)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILDDIR):
	mkdir -p $@

-include $(OBJS:.o=.d)

deps:
	@sh tests/helpers/deps.sh $(BUILD_PKGS)

deps-check:
	@sh tests/helpers/deps.sh $(CHECK_PKGS)

deps-bench:
	@sh tests/helpers/deps.sh $(BENCH_PKGS)

# pkg-config is read when make starts, so build in a second make once the
# packages are there.
run: deps
	@$(MAKE) --no-print-directory all
	./$(ESOCK)

check: deps-check layers
	@$(MAKE) --no-print-directory all $(FUZZ_REPLAYS)
	ESOCK=$(CURDIR)/$(ESOCK) FUZZ_REPLAY_DIR=$(CURDIR)/$(BUILDDIR) \
		sh tests/run.sh

# Every include points down the layers of src/layers.txt.
layers:
	sh tests/helpers/layers.sh

test:
	ESOCK=$(CURDIR)/$(ESOCK) FUZZ_REPLAY_DIR=$(CURDIR)/$(BUILDDIR) \
		sh tests/run.sh $(TESTS)

bench: deps-bench
	@$(MAKE) --no-print-directory all
	ESOCK=$(CURDIR)/$(ESOCK) sh bench/run.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	install -m 755 $(ESOCK) $(DESTDIR)$(BINDIR)/esock
	install -m 644 man/esock.1 $(DESTDIR)$(MANDIR)/esock.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/esock $(DESTDIR)$(MANDIR)/esock.1

# The soak (tests/soak.sh): a million nowait socket calls in one session,
# with RSS and descriptors checked; make check runs a short one.
SOAK_ROUNDS ?= 100000
soak: all
	ESOCK=$(CURDIR)/$(ESOCK) sh tests/soak.sh $(SOAK_ROUNDS)

# The whole suite with esock under valgrind (tests/helpers/memcheck.sh):
# no invalid access, no definite leak, no descriptor left open at exit.
memcheck: deps-check
	@$(MAKE) --no-print-directory all $(FUZZ_REPLAYS)
	command -v valgrind >/dev/null || sh tests/helpers/deps.sh valgrind
	FUZZ_REPLAY_DIR=$(CURDIR)/$(BUILDDIR) \
		sh tests/helpers/memcheck.sh $(CURDIR)/$(ESOCK) $(TESTS)

# A tarball of the tracked files; distcheck builds it in a clean
# directory, checks its install, and runs the tests that need no peers.
VERSION = $(shell sed -n 's/.*ESOCK_VERSION "\(.*\)"/\1/p' src/compat.h)
DIST = esock-$(VERSION)
dist:
	mkdir -p build-dist
	git ls-files | tar -cf - -T - --transform 's,^,$(DIST)/,' | \
		gzip -9 >build-dist/$(DIST).tar.gz
	@echo build-dist/$(DIST).tar.gz

distcheck: dist deps-check
	rm -rf build-dist/$(DIST) build-dist/root
	tar -xzf build-dist/$(DIST).tar.gz -C build-dist
	$(MAKE) -C build-dist/$(DIST) all
	$(MAKE) -C build-dist/$(DIST) install DESTDIR=$(CURDIR)/build-dist/root \
		PREFIX=/usr
	build-dist/root/usr/bin/esock -e 'ok.'
	mandoc -Tlint -W warning build-dist/root/usr/share/man/man1/esock.1
	cd build-dist/$(DIST) && ESOCK=$(CURDIR)/build-dist/root/usr/bin/esock \
		sh tests/run.sh cli.bats docs.bats terms.bats

completions: all
	sh completions/generate.sh $(ESOCK)

format:
	clang-format -i src/*.c src/*.h

format-check:
	clang-format --dry-run -Werror src/*.c src/*.h

clean:
	rm -rf build build-*

# libFuzzer harnesses (clang): make fuzz FUZZ_TIME=60 runs each of
# tests/fuzz/fuzz_NAME.c for that many seconds (tests/fuzz/run.sh: the
# corpus, seeds, dictionary, crashing inputs in build-fuzz/artifacts-NAME
# and a line of figures a run in build-fuzz/fuzz-log.txt, which
# tests/fuzz/summary.sh sums).
FUZZ_TIME ?= 30
FUZZ_SRCS = $(filter-out src/main.c src/repl.c,$(SRCS))
FUZZERS = parse lang endpoint print json sockaddr opt cmsg
fuzz:
	@set -e; for f in $(FUZZERS); do \
		mkdir -p build-fuzz; \
		echo "fuzz_$$f"; \
		clang -std=c11 -g -O1 -Isrc -fsanitize=fuzzer,address,undefined \
			-fno-sanitize-recover=all \
			-o build-fuzz/fuzz_$$f tests/fuzz/fuzz_$$f.c $(FUZZ_SRCS) \
			$(LIBS); \
		sh tests/fuzz/run.sh $$f $(FUZZ_TIME); \
	done

# Each harness again, with tests/fuzz/replay.c for a main and the build's
# compiler and flags (the sanitizers under SANITIZE=1), over its
# regression corpus tests/fuzz/regress/NAME: make check runs them
# (tests/fuzz.bats), make fuzz-replay alone.
FUZZ_OBJS = $(filter-out $(BUILDDIR)/main.o $(BUILDDIR)/repl.o,$(OBJS))
FUZZ_REPLAYS = $(patsubst %,$(BUILDDIR)/fuzz-replay-%,$(FUZZERS))

$(BUILDDIR)/fuzz-replay-%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(FUZZ_OBJS)
	$(CC) $(filter-out -MMD -MP,$(ALL_CFLAGS)) -Isrc -o $@ \
		tests/fuzz/fuzz_$*.c tests/fuzz/replay.c $(FUZZ_OBJS) \
		$(ALL_LDFLAGS) $(LIBS)

fuzz-replay: $(FUZZ_REPLAYS)
	@set -e; for f in $(FUZZERS); do \
		printf 'fuzz-replay-%s: ' $$f; \
		$(BUILDDIR)/fuzz-replay-$$f tests/fuzz/regress/$$f; \
	done
