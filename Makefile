# Mailhook. `make run` and `make test` install what they need themselves.
SHELL := /bin/bash
GO ?= go
BIN := bin/mailhook
# Debian/Ubuntu packages Fyne needs to compile (beside libx11-dev,
# libgl1-mesa-dev, pkg-config and gcc, which such machines already have).
DEB_BUILD := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev
# For the display-dependent checks and for sending mail by hand.
DEB_TOOLS := xvfb xauth xdotool swaks

.PHONY: run build test lint bench deps deps-tools clean

run: build
	./$(BIN) $(ARGS)

build: deps
	$(GO) build -o $(BIN) .

test: deps deps-tools
	$(GO) test ./...

lint: deps
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

bench: deps
	$(GO) test -run='^$$' -bench=. -benchmem ./...

# deps installs missing Debian packages: as root with apt-get, else with
# sudo, else prints the command and stops.
deps:
	@$(call ensure_debs,$(DEB_BUILD))

deps-tools:
	@$(call ensure_debs,$(DEB_TOOLS))

define ensure_debs
missing=""; for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
if [ -n "$$missing" ]; then \
  echo "Installing:$$missing"; \
  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
  else echo "Please run: sudo apt-get install -y$$missing"; exit 1; fi; \
fi
endef

clean:
	rm -rf bin
