# hirelink - build, test, run.  See README.md.
#
#   make            release build: cgi-bin/hirelink.fcgi, cgi-bin/linkedin-sandbox.fcgi
#   make run        install what is missing, build, start the whole stack, load demo data
#   make stop       stop it
#   make check      install, build (-Werror and ASan+UBSan), run every test
#   make bench      performance figures into tests/bench/results.md
#   make format     clang-format the sources
#   make install    PREFIX=/usr/local DESTDIR=... (scripts/install.sh)
#   make uninstall  the same PREFIX and DESTDIR

CC       ?= cc
# Where objects and test programs go; helpers working in one tree can each
# have their own (make BUILD=build-x).
BUILD    ?= build
DB_CFLAGS := $(shell mariadb_config --cflags 2>/dev/null || echo -I/usr/include/mariadb)
DB_LIBS   := $(shell mariadb_config --libs 2>/dev/null || echo -lmariadb)
WARN      = -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-unused-parameter
CFLAGS   ?= -O2 -g
# Paths in the programs' debug information are relative to the tree, so
# an installed copy names no source folder (make install).
ALL_CFLAGS = -std=c17 -D_GNU_SOURCE -Isrc $(DB_CFLAGS) $(WARN) $(CFLAGS) -MMD -MP \
             -ffile-prefix-map=$(CURDIR)=.
LIBS      = -lfcgi $(DB_LIBS) -lcurl -ljansson -lcrypto -largon2 -lpthread -lm

# Two build variants share the sources: release and sanitizers.
ASAN_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined

# Two libraries: the base layers, and hirelink's domain and web on top of
# them.  The sandbox links the base only, so it cannot use domain code.
BASE_SRC    = $(wildcard src/core/*.c src/db/*.c src/http/*.c src/tmpl/*.c)
APP_SRC     = $(wildcard src/ats/*.c src/linkedin/*.c src/web/*.c)
SANDBOX_SRC = $(wildcard src/sandbox/*.c)
UNIT_SRC    = $(wildcard tests/unit/test_*.c)
UNIT_LIB    = $(filter-out $(UNIT_SRC),$(wildcard tests/unit/*.c))
ITEST_SRC   = $(wildcard tests/integration/test_*.c)
ITEST_LIB   = $(filter-out $(ITEST_SRC),$(wildcard tests/integration/*.c))

all: cgi-bin/hirelink.fcgi cgi-bin/linkedin-sandbox.fcgi

# ---------------------------------------------------------------- variants
define variant
# hirelink's library first: the linker takes from an archive only what the
# objects before it need.
$(1)_LIBS = $(BUILD)/$(1)/libhirelink.a $(BUILD)/$(1)/libbase.a
$(BUILD)/$(1)/%.o: %.c
	@mkdir -p $$(@D)
	$$(CC) $$(ALL_CFLAGS) $(2) -c -o $$@ $$<
# The archives are rebuilt when the Makefile changes which objects they hold.
$(BUILD)/$(1)/libbase.a: $$(patsubst %.c,$(BUILD)/$(1)/%.o,$$(BASE_SRC)) Makefile
	@rm -f $$@
	ar rcs $$@ $$(filter %.o,$$^)
$(BUILD)/$(1)/libhirelink.a: $$(patsubst %.c,$(BUILD)/$(1)/%.o,$$(APP_SRC)) Makefile
	@rm -f $$@
	ar rcs $$@ $$(filter %.o,$$^)
$(BUILD)/$(1)/cgi-bin/hirelink.fcgi: $(BUILD)/$(1)/src/main.o $$($(1)_LIBS)
	@mkdir -p $$(@D)
	$$(CC) $(2) -o $$@ $$^ $$(LIBS) $(3)
$(BUILD)/$(1)/cgi-bin/linkedin-sandbox.fcgi: $$(patsubst %.c,$(BUILD)/$(1)/%.o,$$(SANDBOX_SRC)) $(BUILD)/$(1)/libbase.a
	@mkdir -p $$(@D)
	$$(CC) $(2) -o $$@ $$^ $$(LIBS) $(3)
$(BUILD)/$(1)/tests/unit/%: $(BUILD)/$(1)/tests/unit/%.o $$(patsubst %.c,$(BUILD)/$(1)/%.o,$$(UNIT_LIB)) $$($(1)_LIBS)
	$$(CC) $(2) -o $$@ $$^ $$(LIBS) -lcunit $(3)
$(BUILD)/$(1)/tests/integration/%: $(BUILD)/$(1)/tests/integration/%.o $$(patsubst %.c,$(BUILD)/$(1)/%.o,$$(ITEST_LIB)) $$($(1)_LIBS)
	$$(CC) $(2) -o $$@ $$^ $$(LIBS) -lcunit $(3)
$(BUILD)/$(1)/tests/browser/test_%: $(BUILD)/$(1)/tests/browser/test_%.o $(BUILD)/$(1)/tests/browser/webdriver.o $(BUILD)/$(1)/tests/browser/browse.o $$(patsubst %.c,$(BUILD)/$(1)/%.o,$$(ITEST_LIB)) $$($(1)_LIBS)
	$$(CC) $(2) -o $$@ $$^ $$(LIBS) -lcunit $(3)
$(BUILD)/$(1)/tests/deploy/test_%: $(BUILD)/$(1)/tests/deploy/test_%.o $$(patsubst %.c,$(BUILD)/$(1)/%.o,$$(ITEST_LIB)) $$($(1)_LIBS)
	$$(CC) $(2) -o $$@ $$^ $$(LIBS) -lcunit $(3)
$(BUILD)/$(1)/tests/bench/%: $(BUILD)/$(1)/tests/bench/%.o
	$$(CC) $(2) -o $$@ $$^ -lfcgi $(3)
-include $$(shell find $(BUILD)/$(1) -name '*.d' 2>/dev/null)
endef

$(eval $(call variant,release,$(CFLAGS),))
$(eval $(call variant,asan,$(ASAN_FLAGS),))

.SECONDARY:

# Replaced by rename, so a rebuild works while the old program runs.
cgi-bin/%.fcgi: $(BUILD)/release/cgi-bin/%.fcgi
	cp $< $@.tmp && mv -f $@.tmp $@

UNIT_BIN_asan    = $(patsubst tests/unit/%.c,$(BUILD)/asan/tests/unit/%,$(UNIT_SRC))
ITEST_BIN_asan   = $(patsubst tests/integration/%.c,$(BUILD)/asan/tests/integration/%,$(ITEST_SRC))
BROWSER_BIN_asan = $(patsubst tests/browser/%.c,$(BUILD)/asan/tests/browser/%,$(wildcard tests/browser/test_*.c))
# the installed copy's tests (scripts/install-test.sh runs them)
DEPLOY_BIN_asan  = $(patsubst tests/deploy/%.c,$(BUILD)/asan/tests/deploy/%,$(wildcard tests/deploy/test_*.c))
ASAN_PROGS       = $(BUILD)/asan/cgi-bin/hirelink.fcgi $(BUILD)/asan/cgi-bin/linkedin-sandbox.fcgi

# libFuzzer harnesses (tests/fuzz/): `make check` runs each for a few
# seconds; `make fuzz` builds them to run for longer by hand.
FUZZ_SRC = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_LIB = $(wildcard src/tmpl/*.c) src/http/parse.c src/http/server.c \
           src/http/response.c src/http/router.c src/http/jsonmem.c \
           src/linkedin/notification_body.c src/linkedin/client.c \
           src/linkedin/answers.c \
           src/core/crypto.c src/core/arena.c \
           src/core/buf.c src/core/log.c src/core/util.c
FUZZ_BIN = $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRC))
FUZZ_CFLAGS = -std=c17 -D_GNU_SOURCE -Isrc $(DB_CFLAGS) -g -O1 -MMD -MP
# The library's objects are compiled once for all the harnesses (with the
# fuzzer's coverage, without its main), each harness's own file with it.
FUZZ_OBJ = $(patsubst %.c,$(BUILD)/fuzz/obj/%.o,$(FUZZ_LIB))

$(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<

$(BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZ_OBJ)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -MF $@.d -MT $@ -fsanitize=fuzzer,address,undefined $< \
	  $(FUZZ_OBJ) -lfcgi -lcurl -ljansson -lcrypto -largon2 -lpthread -o $@

# fuzz_sb_key includes src/sandbox/restli.c whole (for its static helpers).
$(BUILD)/fuzz/fuzz_sb_key: src/sandbox/restli.c
-include $(shell find $(BUILD)/fuzz -name '*.d' 2>/dev/null)

fuzz: $(FUZZ_BIN)

deps:
	@scripts/install-deps.sh

asan: $(ASAN_PROGS) $(UNIT_BIN_asan) $(ITEST_BIN_asan) $(BROWSER_BIN_asan) $(DEPLOY_BIN_asan)

# check: everything, on private stacks started and stopped by the run.
# The three builds are one make, as many compilers at once as there are
# cores (unless make was given -j already): the release programs (the
# installed copy's), the sanitizer programs and tests, the fuzzers.
CHECK_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
check:
	@scripts/install-deps.sh check
	$(MAKE) $(if $(findstring jobserver,$(MAKEFLAGS)),,-j$(CHECK_JOBS)) all asan fuzz
	scripts/check.sh

unit: $(UNIT_BIN_asan)
	scripts/check.sh unit

run: deps
	$(MAKE) all
	scripts/stack.sh start run
	scripts/stack.sh demo run

stop:
	scripts/stack.sh stop run

bench: deps
	$(MAKE) all $(BUILD)/release/tests/bench/hello
	scripts/bench.sh

# ---------------------------------------------------------------- install
# Where `make install` puts things (README.md, "Deploying").  The
# installed files name these paths, never the source tree; DESTDIR is a
# staging root (packages) that the installed files do not name.
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
DATADIR    ?= $(PREFIX)/share/hirelink
SYSCONFDIR ?= $(PREFIX)/etc
UNITDIR    ?= $(PREFIX)/lib/systemd/system
# what the example config and the units name (not installed into)
STATEDIR   ?= /var/lib/hirelink
RUNDIR     ?= /run/hirelink
INSTALL_VARS = DESTDIR="$(DESTDIR)" BINDIR="$(BINDIR)" DATADIR="$(DATADIR)" \
  CONFDIR="$(SYSCONFDIR)/hirelink" UNITDIR="$(UNITDIR)" \
  LIBDIR="$(PREFIX)/lib" STATEDIR="$(STATEDIR)" RUNDIR="$(RUNDIR)"

install: all
	$(INSTALL_VARS) scripts/install.sh install

uninstall:
	$(INSTALL_VARS) scripts/install.sh uninstall

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) cgi-bin/*.fcgi

.PHONY: all deps asan fuzz check unit run stop bench format clean install uninstall
