#!/usr/bin/env bash
# Runs every test: makes sure what the tests need is installed (PostgreSQL's binaries; curl for the
# ./run.sh smoke test; Chromium for the dashboard test; kubectl and the npm
# schema validator for the manifest tests), then `dotnet test` at the root. Arguments are passed on to `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")"
. .ci/prerequisites.sh
ensure_postgres
ensure_curl
ensure_chromium
ensure_manifest_tools
exec dotnet test MutualAssistance.sln "$@"
