# The README's two commands. Both install what they need first (Debian 12).
BUILD ?= build
PRESET ?= default
DB ?= ./data/redress.db
LISTEN ?= 127.0.0.1:8080

.PHONY: deps build run test clean

deps:
	bash scripts/install-deps.sh

build: deps
	cmake --preset $(PRESET) >/dev/null
	cmake --build --preset $(PRESET)

# Installs, builds, loads the demo organisation (once) and serves it.
run: build
	@mkdir -p $(dir $(DB))
	@if [ ! -f $(DB) ]; then $(BUILD)/src/cli/redress --database $(DB) demo; fi
	@echo "Redress on http://$(LISTEN)  (demo accounts: admin, agent, handler.st, handler.qm,"
	@echo "  supervisor.st, supervisor.qm, qa, director; password: redress-demo)"
	$(BUILD)/src/cli/redress --database $(DB) serve --listen $(LISTEN)

# Installs, builds and runs every test (unit tests and API scenarios).
test: build
	cd $(BUILD) && ctest --output-on-failure -j2

clean:
	rm -rf $(BUILD)
