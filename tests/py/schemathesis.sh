#!/usr/bin/env bash
# Schemathesis against the real `sr serve`: property-based requests generated from
# openapi.yaml; fails on any 5xx or any response the spec does not describe.
# Usage: tests/py/schemathesis.sh [SR_BINARY]   (default target/debug/sr, built if missing)
# Env: ST_MAX_EXAMPLES (default 25), ST_MAX_TIME seconds (default 120), ST_SEED,
#      ST_AUTH=1 to run with `--auth` on and every request sent as an admin (Basic).
set -euo pipefail
cd "$(dirname "$0")/../.."

sr_bin="${1:-target/debug/sr}"
if [[ ! -x "$sr_bin" ]]; then
  cargo build --quiet -p sr
fi

# A venv of its own: schemathesis pins its own hypothesis and requests, which must not
# shift what the client tests in tests/py/requirements.txt were pinned against.
venv=target/schemathesis-venv
if [[ ! -x "$venv/bin/st" ]] || ! "$venv/bin/pip" freeze 2>/dev/null | grep -qxF -f tests/py/requirements-schemathesis.txt; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/py/requirements-schemathesis.txt
fi

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

serve_args=(serve --listen 127.0.0.1:0 --data "$work/data")
auth_args=()
if [[ "${ST_AUTH:-}" == 1 ]]; then
  password="st-$RANDOM-$RANDOM"
  hash="$(printf '%s' "$password" | "$sr_bin" auth hash)"
  printf '[[principal]]\nname = "admin"\npassword_hash = "%s"\nroles = ["admin"]\n' "$hash" >"$work/auth.toml"
  serve_args+=(--auth "$work/auth.toml")
  auth_args=(--auth "admin:$password")
fi
SR_LOG=warn "$sr_bin" "${serve_args[@]}" 2>"$work/stderr" &
server_pid=$!
url=""
for _ in $(seq 1 100); do
  url="$(sed -n 's/^listening on \(http:\/\/[0-9.:]*\).*/\1/p' "$work/stderr" | head -1)"
  [[ -n "$url" ]] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then cat "$work/stderr" >&2; echo "sr serve died" >&2; exit 1; fi
  sleep 0.1
done
[[ -n "$url" ]] || { echo "sr serve never printed its address" >&2; exit 1; }
echo "schemathesis against $url${ST_AUTH:+ (auth on, as admin)}"

seed_args=()
[[ -n "${ST_SEED:-}" ]] && seed_args=(--seed "$ST_SEED")
status=0
# From the temporary directory, so schemathesis's .schemathesis/ cache stays out of the tree.
# One worker: with two threads, hypothesis calls ast.parse concurrently, which trips CPython
# 3.11's "AST constructor recursion depth mismatch" SystemError (a Runtime Error in the report).
repo="$PWD"
(cd "$work" && exec timeout $(( ${ST_MAX_TIME:-120} + 60 )) "$repo/$venv/bin/st" run "$repo/openapi.yaml" \
  --url "$url" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "${ST_MAX_EXAMPLES:-25}" \
  --max-time "${ST_MAX_TIME:-120}" \
  --workers 1 \
  --request-timeout 10 \
  --suppress-health-check all \
  --no-shrink \
  "${auth_args[@]}" \
  "${seed_args[@]}") || status=$?
if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "sr serve died during the run:" >&2
  tail -20 "$work/stderr" >&2
  exit 1
fi
if [[ "${ST_AUTH:-}" == 1 ]]; then
  # Every request carried the admin's credentials; a refusal means they were not sent or not
  # accepted, and the run above tested nothing but the 401 path.
  refused="$(grep -c 'authentication failed\|access denied' "$work/stderr" || true)"
  echo "requests refused by auth: $refused"
  [[ "$refused" == 0 ]] || { grep -m5 'authentication failed\|access denied' "$work/stderr" >&2; exit 1; }
fi
exit "$status"
