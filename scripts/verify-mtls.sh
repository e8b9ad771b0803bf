#!/usr/bin/env bash
# verify-mtls.sh: the check of mTLS migration phase 4, run before moving the mesh to STRICT (phase 5).
#
# REAL CLUSTER ONLY: it talks to the cluster (kubectl, istioctl) and to the Prometheus that scrapes the mesh; it
# is written for your workstation or CI and is not part of the offline tests (only its argument handling is).
#
# For every mesh namespace it checks that
#   1. every running pod has an istio-proxy sidecar (container or native sidecar) and that the proxy is
#      connected to istiod (istioctl proxy-status), and
#   2. no plaintext traffic reached the namespace's workloads in the window: Istio's standard metrics
#      istio_requests_total and istio_tcp_connections_opened_total, reported by the destination proxy, with
#      connection_security_policy other than "mutual_tls", and
#   3. Prometheus holds those metrics for the namespace at all in the window: no data proves nothing (Prometheus
#      not scraping the sidecars, a wrong URL or namespace, no traffic), so it is a FAIL, never a PASS,
# and prints one verdict per namespace (PASS or FAIL with the reasons), then a summary line.
#
# Exit codes: 0 every namespace PASS, 1 at least one FAIL, 2 bad usage, 3 the check could not run (a missing
# tool, the cluster or Prometheus unreachable, no mesh namespace found).
set -euo pipefail
# Arrays that may be empty expand as ${a[@]+"${a[@]}"}: bash before 4.4 (macOS's 3.2) calls "${a[@]}" of an
# empty array unbound under set -u.

KUBECTL=${KUBECTL:-kubectl}
ISTIOCTL=${ISTIOCTL:-istioctl}
CURL=${CURL:-curl}
JQ=${JQ:-jq}

usage() {
    cat <<'USAGE'
usage: scripts/verify-mtls.sh --prometheus-url <url> [--namespace <ns>]... [--window <duration>] [--context <kube context>]

Checks, against a real cluster, that the mesh namespaces are ready for STRICT mTLS (migration phase 4):
every pod has a connected istio-proxy, and no plaintext request or TCP connection reached a mesh workload
within the window (Prometheus metrics istio_requests_total / istio_tcp_connections_opened_total,
reporter="destination", connection_security_policy!="mutual_tls").

  --prometheus-url <url>  Prometheus base URL, e.g. http://prometheus.istio-system:9090 (or $PROMETHEUS_URL)
  -n, --namespace <ns>    a mesh namespace; repeat or comma-separate. Default: the namespaces labelled
                          istio-injection=enabled or istio.io/rev (e.g. `pulumi stack output mtls`)
  --window <duration>     how far back to look for plaintext traffic, e.g. 30m, 1h, 7d. Default: 1h
  --context <context>     kubeconfig context for kubectl and istioctl. Default: the current context
  -h, --help              this help

Needs kubectl, istioctl, curl and jq (override with $KUBECTL, $ISTIOCTL, $CURL, $JQ).
Exit: 0 all PASS, 1 some namespace FAIL, 2 bad usage, 3 could not check.
USAGE
}

usage_error() {
    printf 'verify-mtls: %s\n' "$1" >&2
    printf "run 'scripts/verify-mtls.sh --help' for usage\n" >&2
    exit 2
}

cannot_check() {
    printf 'verify-mtls: cannot check: %s\n' "$1" >&2
    exit 3
}

prometheus_url=${PROMETHEUS_URL:-}
window="1h"
context=""
namespaces=()

while [ $# -gt 0 ]; do
    case "$1" in
    -h | --help)
        usage
        exit 0
        ;;
    --prometheus-url | -n | --namespace | --window | --context)
        [ $# -ge 2 ] || usage_error "$1 needs a value"
        case "$1" in
        --prometheus-url) prometheus_url=$2 ;;
        --window) window=$2 ;;
        --context) context=$2 ;;
        *)
            IFS=',' read -r -a given <<<"$2"
            namespaces+=(${given[@]+"${given[@]}"})
            ;;
        esac
        shift 2
        ;;
    *) usage_error "unknown argument \"$1\"" ;;
    esac
done

[ -n "$prometheus_url" ] || usage_error "--prometheus-url is required (the Prometheus that scrapes the mesh)"
[[ $prometheus_url =~ ^https?://[^[:space:]]+$ ]] || usage_error "--prometheus-url must be an http(s):// URL, got \"$prometheus_url\""
prometheus_url=${prometheus_url%/}
[[ $window =~ ^[0-9]+[smhdw]$ ]] || usage_error "--window must be a Prometheus duration such as 30m, 1h or 7d, got \"$window\""
for ns in ${namespaces[@]+"${namespaces[@]}"}; do
    [[ $ns =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] || usage_error "--namespace must be a namespace name, got \"$ns\""
done

missing=()
for tool in "$KUBECTL" "$ISTIOCTL" "$CURL" "$JQ"; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ ${#missing[@]} -eq 0 ] || cannot_check "missing tool(s): ${missing[*]} (install them or point \$KUBECTL, \$ISTIOCTL, \$CURL, \$JQ at them)"

kube_args=()
[ -z "$context" ] || kube_args=(--context "$context")

kube() { "$KUBECTL" ${kube_args[@]+"${kube_args[@]}"} "$@"; }

if [ ${#namespaces[@]} -eq 0 ]; then
    found=$( {
        kube get namespaces -l 'istio-injection=enabled' -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}'
        kube get namespaces -l 'istio.io/rev' -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}'
    } | sort -u) || cannot_check "kubectl could not list the namespaces"
    while IFS= read -r ns; do
        [ -z "$ns" ] || namespaces+=("$ns")
    done <<<"$found"
    [ ${#namespaces[@]} -gt 0 ] || cannot_check "no namespace is labelled for injection; pass the mesh namespaces with --namespace"
fi

# Proxies connected to istiod, as "<pod>.<namespace>" lines.
connected=$("$ISTIOCTL" ${kube_args[@]+"${kube_args[@]}"} proxy-status 2>/dev/null | awk 'NR > 1 { print $1 }') ||
    cannot_check "istioctl proxy-status failed (is istiod running and the context right?)"

# Sum of non-mTLS traffic per destination workload and source, as "<dest ns>\t<dest workload>\t<source>\t<n>".
ns_regex=$(
    IFS='|'
    printf '%s' "${namespaces[*]}"
)
plaintext() {
    local metric=$1 query response
    query="sum by (destination_workload_namespace, destination_workload, source_workload_namespace, source_workload) (increase(${metric}{reporter=\"destination\",connection_security_policy!=\"mutual_tls\",destination_workload_namespace=~\"${ns_regex}\"}[${window}])) > 0"
    response=$("$CURL" -fsS --get "${prometheus_url}/api/v1/query" --data-urlencode "query=${query}") ||
        cannot_check "Prometheus at ${prometheus_url} did not answer the query for ${metric}"
    # shellcheck disable=SC2016 # $metric is a jq variable, not a shell one
    "$JQ" -r --arg metric "$metric" '
        if .status != "success" then error("Prometheus: \(.error // "query failed")") else . end
        | .data.result[]
        | [ .metric.destination_workload_namespace, .metric.destination_workload,
            "\(.metric.source_workload_namespace // "unknown")/\(.metric.source_workload // "unknown")",
            "\((.value[1] | tonumber) + 0.5 | floor) \(if $metric == "istio_requests_total" then "request(s)" else "connection(s)" end)" ]
        | @tsv' <<<"$response" || cannot_check "unexpected answer from Prometheus for ${metric}"
}
traffic=$(
    plaintext istio_requests_total
    plaintext istio_tcp_connections_opened_total
)

# The namespaces for which Prometheus holds any destination-reported Istio traffic metric in the window, one a
# line: without them an empty plaintext answer above would only mean "no data".
query="group by (destination_workload_namespace) (last_over_time({__name__=~\"istio_requests_total|istio_tcp_connections_opened_total\",reporter=\"destination\",destination_workload_namespace=~\"${ns_regex}\"}[${window}]))"
response=$("$CURL" -fsS --get "${prometheus_url}/api/v1/query" --data-urlencode "query=${query}") ||
    cannot_check "Prometheus at ${prometheus_url} did not answer the query for the mesh's metrics"
observed=$("$JQ" -r '
    if .status != "success" then error("Prometheus: \(.error // "query failed")") else . end
    | .data.result[].metric.destination_workload_namespace // empty' <<<"$response") ||
    cannot_check "unexpected answer from Prometheus for the mesh's metrics"

passed=0
failed=0
for ns in "${namespaces[@]}"; do
    pods=$(kube get pods -n "$ns" -o json) || cannot_check "kubectl could not list the pods of namespace $ns"
    problems=()
    total=0
    while IFS=$'\t' read -r pod has_proxy; do
        [ -n "$pod" ] || continue
        total=$((total + 1))
        if [ "$has_proxy" != "true" ]; then
            problems+=("pod $pod has no istio-proxy sidecar (restart it after labelling, or check sidecar.istio.io/inject)")
        elif ! grep -qxF "$pod.$ns" <<<"$connected"; then
            problems+=("pod $pod has a sidecar that is not connected to istiod (istioctl proxy-status)")
        fi
    done < <("$JQ" -r '.items[]
        | select(.status.phase != "Succeeded" and .status.phase != "Failed")
        | [ .metadata.name,
            ([ .spec.containers[].name, (.spec.initContainers // [])[].name ] | index("istio-proxy") != null) ]
        | @tsv' <<<"$pods")
    if ! grep -qxF "$ns" <<<"$observed"; then
        problems+=("no Istio traffic metrics in Prometheus for this namespace in the last ${window}: nothing to verify (does Prometheus scrape the sidecars? did the workloads receive traffic?)")
    fi
    while IFS=$'\t' read -r dest_ns workload source count; do
        [ "$dest_ns" = "$ns" ] || continue
        problems+=("plaintext traffic in the last ${window}: ${count} from ${source} to ${workload}")
    done <<<"$traffic"
    if [ ${#problems[@]} -eq 0 ]; then
        printf 'PASS %s: %d pod(s), all with a connected sidecar; no plaintext traffic in the last %s\n' "$ns" "$total" "$window"
        passed=$((passed + 1))
    else
        printf 'FAIL %s:\n' "$ns"
        printf '  - %s\n' "${problems[@]}"
        failed=$((failed + 1))
    fi
done

printf 'mTLS verification: %d namespace(s) PASS, %d FAIL (window %s)\n' "$passed" "$failed" "$window"
if [ "$failed" -gt 0 ]; then
    printf 'Do not move to mtlsPhase 5 yet: fix the FAIL lines, or keep those namespaces PERMISSIVE (namespaces.<ns>.mtlsMode).\n'
    exit 1
fi
printf 'Ready for mtlsPhase 5 (STRICT).\n'
