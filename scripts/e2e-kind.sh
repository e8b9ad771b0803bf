#!/usr/bin/env bash
# e2e-kind.sh: end-to-end test of a stack on a throwaway kind cluster.
#
# REAL CLUSTER ONLY: it creates a kind cluster, runs `pulumi up` with a local Pulumi backend and checks the result
# with kubectl and istioctl. It is written for your workstation or CI (it needs Docker, kind, kubectl, the Pulumi
# CLI and istioctl) and is not part of the offline tests (only its argument handling is).
#
# Steps: create the cluster; `pulumi up` the stack at mTLS phase 1; wait for istiod and check the install
# (`istioctl analyze`); then, with --phases, walk the mTLS migration: for each phase 2..5 show `npm run plan`
# (which refuses skipped phases), `pulumi up`, and `istioctl analyze` again; at phase 4, when a Prometheus URL
# is given, run scripts/verify-mtls.sh before going STRICT. The cluster and the stack are deleted at the end
# unless --keep is given.
#
# Exit codes: 0 every step passed, 1 a step failed, 2 bad usage, 3 a tool is missing.
set -euo pipefail

KIND=${KIND:-kind}
KUBECTL=${KUBECTL:-kubectl}
PULUMI=${PULUMI:-pulumi}
ISTIOCTL=${ISTIOCTL:-istioctl}
NPM=${NPM:-npm}

usage() {
    cat <<'USAGE'
usage: scripts/e2e-kind.sh [--cluster <name>] [--stack <stack>] [--phases] [--prometheus-url <url>] [--keep]

End-to-end test on a throwaway kind cluster (real cluster only; needs Docker, kind, kubectl, pulumi, istioctl, npm):
`pulumi up` of the stack at mTLS phase 1, istiod rollout and `istioctl analyze`, then with --phases the migration
to STRICT, one phase at a time, each previewed with `npm run plan` first.

  --cluster <name>        kind cluster name. Default: istio-mesh-e2e
  --stack <stack>         stack to deploy (its stacks/Pulumi.<stack>.yaml). Default: dev
  --phases                walk mTLS phases 2..5 after the install
  --prometheus-url <url>  Prometheus of the mesh; enables scripts/verify-mtls.sh at phase 4 (or $PROMETHEUS_URL)
  --keep                  keep the cluster and the stack at the end
  -h, --help              this help

Uses a local Pulumi backend in a temporary folder (PULUMI_CONFIG_PASSPHRASE defaults to "e2e").
Override the tools with $KIND, $KUBECTL, $PULUMI, $ISTIOCTL, $NPM.
Exit: 0 passed, 1 a step failed, 2 bad usage, 3 a tool is missing.
USAGE
}

usage_error() {
    printf 'e2e-kind: %s\n' "$1" >&2
    printf "run 'scripts/e2e-kind.sh --help' for usage\n" >&2
    exit 2
}

cluster="istio-mesh-e2e"
stack="dev"
phases=false
keep=false
prometheus_url=${PROMETHEUS_URL:-}

while [ $# -gt 0 ]; do
    case "$1" in
        -h | --help)
            usage
            exit 0
            ;;
        --cluster | --stack | --prometheus-url)
            if [ $# -lt 2 ] || [ -z "$2" ]; then
                usage_error "$1 needs a value"
            fi
            case "$1" in
                --cluster) cluster=$2 ;;
                --stack) stack=$2 ;;
                --prometheus-url) prometheus_url=$2 ;;
            esac
            shift 2
            ;;
        --phases)
            phases=true
            shift
            ;;
        --keep)
            keep=true
            shift
            ;;
        *) usage_error "unknown argument \"$1\"" ;;
    esac
done

[[ $cluster =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] || usage_error "--cluster must be a DNS-1123 label, got \"$cluster\""
root=$(cd "$(dirname "$0")/.." && pwd)
[ -f "$root/stacks/Pulumi.$stack.yaml" ] || usage_error "no stack file stacks/Pulumi.$stack.yaml"

missing=()
for tool in "$KIND" "$KUBECTL" "$PULUMI" "$ISTIOCTL" "$NPM"; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
    printf 'e2e-kind: missing tools: %s\n' "${missing[*]}" >&2
    exit 3
fi

step() { printf '\n== %s\n' "$*"; }
fail() {
    printf 'e2e-kind: FAIL: %s\n' "$1" >&2
    exit 1
}

backend=$(mktemp -d)
export PULUMI_BACKEND_URL="file://$backend"
export PULUMI_CONFIG_PASSPHRASE=${PULUMI_CONFIG_PASSPHRASE:-e2e}
context="kind-$cluster"

# `pulumi config set` writes into the stack file: keep the original to put it back.
cp "$root/stacks/Pulumi.$stack.yaml" "$backend/original.yaml"

# Only what this run created is deleted at the end: a cluster of the same name that existed before (someone
# else's, or a kept one) is never touched.
created_cluster=false

cleanup() {
    if [ "$keep" = true ]; then
        printf '\nkept: cluster %s, stack %s (backend %s); stacks/Pulumi.%s.yaml holds the e2e settings\n' \
            "$cluster" "$stack" "$PULUMI_BACKEND_URL" "$stack"
        return
    fi
    if [ "$created_cluster" = true ]; then
        (cd "$root" && "$PULUMI" destroy --yes --stack "$stack" >/dev/null 2>&1) || true
        "$KIND" delete cluster --name "$cluster" >/dev/null 2>&1 || true
    fi
    cp "$backend/original.yaml" "$root/stacks/Pulumi.$stack.yaml"
    rm -rf "$backend"
}
trap cleanup EXIT

cd "$root"
step "kind cluster $cluster"
if "$KIND" get clusters 2>/dev/null | grep -qxF "$cluster"; then
    fail "a kind cluster named $cluster already exists and is not this run's: delete it (kind delete cluster --name $cluster) or pass another --cluster"
fi
"$KIND" create cluster --name "$cluster" --wait 120s || fail "kind could not create the cluster $cluster"
created_cluster=true

step "pulumi up: stack $stack at mTLS phase 1"
"$PULUMI" stack select --create "$stack" || fail "cannot select stack $stack"
"$PULUMI" config set kubernetes:context "$context" --stack "$stack"
"$PULUMI" config set istio-mesh:mtlsPhase 1 --stack "$stack"
"$PULUMI" up --yes --stack "$stack" || fail "pulumi up failed at phase 1"

step "istiod rollout and istioctl analyze"
"$KUBECTL" --context "$context" -n istio-system rollout status deployment \
    --selector app=istiod --timeout=300s || fail "istiod did not become ready"
"$ISTIOCTL" --context "$context" analyze --all-namespaces || fail "istioctl analyze reported problems"

if [ "$phases" = true ]; then
    for phase in 2 3 4 5; do
        step "mTLS phase $phase: npm run plan, then pulumi up"
        # The stack file holds the phase deployed last (pulumi config set writes it): that is the base.
        cp "stacks/Pulumi.$stack.yaml" "$backend/base.yaml"
        "$NPM" run --silent plan -- --stack "$stack" --set "mtlsPhase=$phase" --base-config "$backend/base.yaml" ||
            fail "npm run plan refused or failed for phase $phase"
        if [ "$phase" = 5 ] && [ -n "$prometheus_url" ]; then
            step "phase 4 check before STRICT: scripts/verify-mtls.sh"
            KUBECTL=$KUBECTL ISTIOCTL=$ISTIOCTL scripts/verify-mtls.sh --context "$context" \
                --prometheus-url "$prometheus_url" || fail "verify-mtls found plaintext traffic or missing sidecars"
        fi
        "$PULUMI" config set istio-mesh:mtlsPhase "$phase" --stack "$stack"
        "$PULUMI" up --yes --stack "$stack" || fail "pulumi up failed at phase $phase"
        "$ISTIOCTL" --context "$context" analyze --all-namespaces || fail "istioctl analyze reported problems at phase $phase"
    done
fi

step "passed"
