# The README's two commands. Both install what they need first (Debian 12).
BUILD ?= build
PRESET ?= default
DB ?= ./data/redress.db
LISTEN ?= 127.0.0.1:8080

.PHONY: deps build web run test test-asan fuzz fuzz-ci ci clean

deps:
	bash scripts/install-deps.sh

build: deps web
	cmake --preset $(PRESET) >/dev/null
	cmake --build --preset $(PRESET)

# The web app (web/dist), served by `redress serve`. `npm ci` runs when the lock file
# changed since the last install; the build itself always runs (a few seconds).
web: deps web/node_modules/.package-lock.json
	cd web && npm run build

web/node_modules/.package-lock.json: web/package-lock.json web/package.json
	cd web && npm ci --no-audit --no-fund

# Installs, builds, loads the demo organisation (once) and serves it.
run: build
	@mkdir -p $(dir $(DB))
	@if [ ! -f $(DB) ]; then $(BUILD)/src/cli/redress --database $(DB) demo --with-model; fi
	@echo "Redress on http://$(LISTEN)  (demo accounts: admin, agent, handler.st, handler.qm,"
	@echo "  supervisor.st, supervisor.qm, qa, director; password: redress-demo)"
	$(BUILD)/src/cli/redress --database $(DB) serve --listen $(LISTEN) --web-root web/dist

# Installs, builds and runs every test (unit tests, API scenarios, the web app's unit and
# browser tests).
test: build
	cd $(BUILD) && ctest --output-on-failure -j2

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer (g++, build-asan/):
# unit tests (the PostgreSQL driver's included), the API scenarios on SQLite and the crash
# harness on both stores. Left out, for CI time: the PostgreSQL run of the API scenarios
# (api_pg.*: the same C++ above the store adapter, which the pg.* tests and crash_pg
# exercise under the sanitizers), the web app's tests (web.*: JavaScript and a browser),
# the lint/docs checks (they do not execute our code) and the soak and benchmark smoke
# tests (they judge time and memory, which the sanitizers change). tests/lsan.supp
# silences the font libraries' process-lifetime caches (the PDF reports), nothing of ours.
ASAN_EXCLUDE ?= ^(api_pg|web|lint|docs|bench|soak)\.
test-asan: deps
	cmake --preset asan >/dev/null
	cmake --build --preset asan
	cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j2 -E '$(ASAN_EXCLUDE)'

# libFuzzer (clang-19, build-fuzz/): every target for FUZZ_SECONDS each. CI runs the short
# form; `make fuzz FUZZ_SECONDS=3600` is the long mode (docs/security-testing.md).
FUZZ_SECONDS ?= 60
FUZZ_CI_SECONDS ?= 60
fuzz: deps
	bash fuzz/run.sh $(FUZZ_SECONDS)
fuzz-ci: deps
	FUZZ_SEED=$${FUZZ_SEED:-20241122} bash fuzz/run.sh $(FUZZ_CI_SECONDS)

# What .ci/run does: the suite with warnings as errors, the fuzzers, the sanitizer build.
ci:
	$(MAKE) test PRESET=ci
	$(MAKE) fuzz-ci
	$(MAKE) test-asan

clean:
	rm -rf $(BUILD) build-asan build-fuzz web/dist
