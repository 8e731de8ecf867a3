#!/usr/bin/env bash
# Installs every Debian 12 package that Redress needs to build, run and test.
# Idempotent: packages already present are skipped by apt; `apt-get update`
# runs only when something is missing. Uses sudo when not run as root.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git
  clang-format clang-tidy clang-tidy-19
  # libraries (see ../shared/STACK.md for why each was picked)
  libboost-dev nlohmann-json3-dev libsqlite3-dev libsodium-dev
  libcli11-dev libspdlog-dev libfmt-dev libmagic-dev
  libgtest-dev libgmock-dev
  # SLA clocks (IANA zones from the system tzdata), e-mail out (SMTP, MIME, templates)
  libhowardhinnant-date-dev tzdata libcurl4-openssl-dev libgmime-3.0-dev libkainjow-mustache-dev
  # tests: scenario tests are Python (stdlib only) against the real server
  python3 sqlite3 curl
  # a real SMTP server on loopback for the mail scenario tests
  python3-aiosmtpd
)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
