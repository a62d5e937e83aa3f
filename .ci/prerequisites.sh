# Sourced by run.sh and test.sh: makes sure what they need is on this machine. As root a missing package is
# installed with apt-get; otherwise the exact command to run is printed and the script stops.

_ma_install() { # package...
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "prerequisites: installing $* with apt-get" >&2
    if [ -z "${_ma_apt_updated:-}" ]; then
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null && _ma_apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  else
    echo "prerequisites: missing $*. Install with: sudo apt-get install -y $*" >&2
    exit 1
  fi
}

# The directory holding initdb and pg_ctl, or nothing.
postgres_bin_dir() {
  local candidate
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v initdb)")"
    return
  fi
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -Vr); do
    if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then echo "$candidate"; return; fi
  done
}

ensure_postgres() {
  if [ -z "$(postgres_bin_dir)" ]; then
    _ma_install postgresql
    # Debian's package starts a cluster of its own on 5432; ours are separate, so leave it be.
  fi
  [ -n "$(postgres_bin_dir)" ] || { echo "prerequisites: PostgreSQL binaries still missing after install" >&2; exit 1; }
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
}

# ICU, which .NET uses for Unicode normalisation (the person search compares names without diacritics) and for
# cultures; Debian's libicu (any version .NET finds).
ensure_icu() {
  ldconfig -p 2>/dev/null | grep -q 'libicuuc\.so' || _ma_install "$(apt-cache search --names-only '^libicu[0-9]+$' 2>/dev/null | awk '{print $1}' | sort -V | tail -n 1)"
}

ensure_curl() {
  command -v curl >/dev/null 2>&1 || _ma_install curl ca-certificates
}

# Debian's Chromium for the dashboard's browser tests (no browser download: the tests drive /usr/bin/chromium).
ensure_chromium() { # and a font with Chinese glyphs, so that the page's Chinese screenshots show text, not boxes
  command -v chromium >/dev/null 2>&1 || _ma_install chromium
  [ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || _ma_install fonts-wqy-zenhei
}

# kubectl renders the kustomize overlays; node runs the offline schema validator in tests/k8s-validation.
ensure_dotnet_tools() { # the repository's .NET tools (.config/dotnet-tools.json: Kiota, for the generated-client test)
  dotnet tool restore >/dev/null
}

ensure_openapi_lint() { # Redocly's CLI for the OpenAPI lint test (tests/openapi-lint)
  command -v npm >/dev/null 2>&1 || _ma_install nodejs npm
  if [ ! -d tests/openapi-lint/node_modules ]; then
    (cd tests/openapi-lint && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
}

ensure_page_accessibility() { # axe-core for the page's accessibility checks (tests/page-accessibility)
  command -v npm >/dev/null 2>&1 || _ma_install nodejs npm
  if [ ! -d tests/page-accessibility/node_modules ]; then
    (cd tests/page-accessibility && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
}

ensure_manifest_tools() {
  command -v kubectl >/dev/null 2>&1 || { echo "prerequisites: kubectl is missing (the machine image provides it; it renders k8s/ for the manifest tests)" >&2; exit 1; }
  command -v npm >/dev/null 2>&1 || _ma_install nodejs npm
  if [ ! -d tests/k8s-validation/node_modules ]; then
    (cd tests/k8s-validation && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
}
