#!/usr/bin/env bash
# Installs every Debian 12 package that Redress needs to build, run and test.
# Idempotent: packages already present are skipped by apt; `apt-get update`
# runs only when something is missing. Uses sudo when not run as root.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git
  clang-format clang-tidy clang-tidy-19
  # fuzzing: clang-19's libFuzzer and sanitizer runtimes (fuzz/run.sh)
  clang-19 libclang-rt-19-dev
  # libraries (see ../shared/STACK.md for why each was picked)
  libboost-dev nlohmann-json3-dev libsqlite3-dev libsodium-dev
  libcli11-dev libspdlog-dev libfmt-dev libmagic-dev libcsv-dev
  libgtest-dev libgmock-dev
  # the allocator of the executables (docs/architecture.md, "Dependencies that deviate")
  libmimalloc-dev
  # the tokenizer (NFKC, word breaks, scripts) and the triage learners
  libicu-dev liblinear-dev libfasttext-dev
  # the PostgreSQL store (libpq) and, for its tests, the server and psql
  libpq-dev postgresql postgresql-client
  # SLA clocks (IANA zones from the system tzdata), e-mail out (SMTP, MIME, templates).
  # libcurl in its GnuTLS build, not the OpenSSL one STACK.md names: libetpan-dev (IMAP,
  # below) depends on libcurl4-gnutls-dev, and Debian 12 lets only one of the two -dev
  # packages be installed (docs/architecture.md, "Dependencies that deviate").
  libhowardhinnant-date-dev tzdata libcurl4-gnutls-dev libgmime-3.0-dev libkainjow-mustache-dev
  # HTTPS served by `redress serve --tls-certificate` (Asio's SSL streams on OpenSSL); the
  # openssl tool makes the throw-away certificates of the TLS tests
  libssl-dev openssl
  # e-mail in: IMAP client (libcurl's IMAP cannot fetch without setting \Seen)
  libetpan-dev
  # reports: PDF drawn with Cairo + Pango (Noto fonts shape CJK and Vietnamese), XLSX with
  # libxlsxwriter; poppler-utils' pdftotext/pdffonts/pdftoppm check the PDFs in the tests
  libcairo2-dev libpango1.0-dev libxlsxwriter-dev fonts-noto-core fonts-noto-cjk poppler-utils
  # tests: scenario tests are Python (stdlib only) against the real server
  python3 sqlite3 curl
  # the benchmark suite's load generator (bench/run; bench.smoke runs it in the tests)
  wrk
  # a real SMTP server on loopback for the mail scenario tests, and a real IMAP server
  python3-aiosmtpd dovecot-imapd
  # web app: browser tests drive Debian's Chromium (never a downloaded browser);
  # the CJK fonts make Chinese render in it (and in the screenshots)
  chromium fonts-noto-cjk
)

# The web app is built with Node.js 20 (>= 20.19) and npm. A machine that already has a
# node (e.g. from NodeSource, which bundles npm) keeps it: Debian's `npm` package would
# pull Debian's older nodejs 18 over it. Only a machine without node gets Debian's.
if ! command -v node >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

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
else
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "install-deps: Node.js $(node --version 2>/dev/null || echo missing) is too old for the web app" \
       "(Vite needs Node 20.19 or later); install Node 20 and run again" >&2
  exit 1
fi
