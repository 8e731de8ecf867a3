# The README's two commands. Both install what they need first (Debian 12).
BUILD ?= build
PRESET ?= default
DB ?= ./data/redress.db
LISTEN ?= 127.0.0.1:8080

.PHONY: deps build web run test clean

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
	@if [ ! -f $(DB) ]; then $(BUILD)/src/cli/redress --database $(DB) demo; fi
	@echo "Redress on http://$(LISTEN)  (demo accounts: admin, agent, handler.st, handler.qm,"
	@echo "  supervisor.st, supervisor.qm, qa, director; password: redress-demo)"
	$(BUILD)/src/cli/redress --database $(DB) serve --listen $(LISTEN) --web-root web/dist

# Installs, builds and runs every test (unit tests, API scenarios, the web app's unit and
# browser tests).
test: build
	cd $(BUILD) && ctest --output-on-failure -j2

clean:
	rm -rf $(BUILD) web/dist
