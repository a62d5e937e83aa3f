#!/usr/bin/env bash
# Runs every test: makes sure what the tests need is installed (PostgreSQL's binaries; curl for the
# ./run.sh smoke test; Chromium for the dashboard test; kubectl and the npm
# schema validator for the manifest tests; Redocly's CLI for the OpenAPI lint; Kiota, a dotnet tool, for the generated client), then `dotnet test` at the root. Arguments are passed on to `dotnet test`.
# --fast runs the fast tests alone (trait Category=Fast: the domain rules, no cluster, no database), in seconds.
# --quick runs everything but the slow tests (trait Category=Slow: the browser, the ./run.sh smoke tests, the long
# fault tests), in a few minutes: what a developer runs while iterating.
set -euo pipefail
cd "$(dirname "$0")"
if [ "${1:-}" = "--fast" ]; then
  shift
  exec dotnet test MutualAssistance.sln --filter "Category=Fast" "$@"
fi
. .ci/prerequisites.sh
ensure_postgres
ensure_icu
ensure_curl
ensure_chromium
ensure_manifest_tools
ensure_openapi_lint
ensure_page_accessibility
ensure_dotnet_tools
if [ "${1:-}" = "--quick" ]; then
  shift
  exec dotnet test MutualAssistance.sln --filter "Category!=Slow" "$@"
fi
exec dotnet test MutualAssistance.sln "$@"
