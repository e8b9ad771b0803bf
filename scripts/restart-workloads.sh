#!/usr/bin/env bash
# restart-workloads.sh: restart the workloads whose sidecar proxies run another Istio revision than the one
# their namespace selects, after a namespace moved to another revision or tag (or a tag moved).
#
# REAL CLUSTER ONLY: it reads (and with --apply, restarts) workloads through kubectl; it is written for your
# workstation or CI and is not part of the offline tests (those run it against a stubbed kubectl).
#
# For each namespace named on the command line it resolves the revision the namespace's label selects:
#   istio-injection=enabled -> the "default" tag, else the default (unrevisioned) revision;
#   istio.io/rev=<name>     -> a tag when its MutatingWebhookConfiguration istio-revision-tag-<name> exists (the
#                              revision is that webhook's istio.io/rev label), else the revision <name>;
# then compares it with the proxy revision of every running pod (the istio.io/rev label the injector puts on
# the pods it injects; "none" for a pod without a proxy; pods labelled sidecar.istio.io/inject=false are left
# out) and lists the deployments, statefulsets and daemonsets that have a pod on another revision. Without
# --apply it only prints that list (a dry run); with --apply it runs `kubectl rollout restart` on each of them.
# Every namespace is resolved before anything is restarted: one that cannot be resolved stops the run.
#
# Exit codes: 0 done (dry run or restarts), 1 a namespace cannot be resolved (missing, no injection label,
# unknown tag or revision), 2 bad usage, 3 kubectl is missing or failed.
set -euo pipefail
# Arrays that may be empty expand as ${a[@]+"${a[@]}"}: bash before 4.4 (macOS's 3.2) calls "${a[@]}" of an
# empty array unbound under set -u.

KUBECTL=${KUBECTL:-kubectl}

usage() {
    cat <<'USAGE'
usage: scripts/restart-workloads.sh [--apply] [--context <kube context>] [--istio-namespace <ns>] <namespace>...

Lists (dry run, the default) or restarts (--apply) the deployments, statefulsets and daemonsets of the given
namespaces whose pods run a sidecar proxy of another Istio revision than the one the namespace's label selects
(istio-injection=enabled, or istio.io/rev=<revision or tag>; a tag is resolved through its webhook
istio-revision-tag-<tag>). Run it after a `pulumi up` that moved a namespace or a tag to another revision.

  --apply                  restart them (kubectl rollout restart). Default: a dry run that changes nothing
  --context <context>      kubeconfig context for kubectl. Default: the current context
  --istio-namespace <ns>   namespace of the control plane (names its webhooks). Default: istio-system
  -h, --help               this help

Needs kubectl (override with $KUBECTL).
Exit: 0 done, 1 a namespace cannot be resolved, 2 bad usage, 3 kubectl missing or failed.
USAGE
}

usage_error() {
    printf 'restart-workloads: %s\n' "$1" >&2
    printf "run 'scripts/restart-workloads.sh --help' for usage\n" >&2
    exit 2
}

kubectl_failed() {
    printf 'restart-workloads: kubectl failed: %s\n' "$1" >&2
    exit 3
}

apply=false
context=""
istio_namespace="istio-system"
namespaces=()

while [ $# -gt 0 ]; do
    case "$1" in
    -h | --help)
        usage
        exit 0
        ;;
    --apply)
        apply=true
        shift
        ;;
    --context | --istio-namespace)
        [ $# -ge 2 ] || usage_error "$1 needs a value"
        if [ "$1" = "--context" ]; then context=$2; else istio_namespace=$2; fi
        shift 2
        ;;
    -*) usage_error "unknown argument \"$1\"" ;;
    *)
        # A namespace named twice is checked (and restarted) once.
        case " ${namespaces[*]-} " in
        *" $1 "*) ;;
        *) namespaces+=("$1") ;;
        esac
        shift
        ;;
    esac
done

[ ${#namespaces[@]} -gt 0 ] || usage_error "name the namespaces to check, e.g. scripts/restart-workloads.sh shop payments"
for ns in "${namespaces[@]}" "$istio_namespace"; do
    [[ $ns =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] || usage_error "\"$ns\" is not a namespace name"
done

command -v "$KUBECTL" >/dev/null 2>&1 || {
    printf 'restart-workloads: kubectl not found: %s (install it or point KUBECTL at it)\n' "$KUBECTL" >&2
    exit 3
}

kube_args=()
[ -z "$context" ] || kube_args=(--context "$context")
kube() { "$KUBECTL" ${kube_args[@]+"${kube_args[@]}"} "$@"; }

# Cluster-scoped webhook names carry the control plane's namespace unless it is istio-system (as the chart does).
webhook_name() {
    if [ "$istio_namespace" = "istio-system" ]; then printf '%s' "$1"; else printf '%s-%s' "$1" "$istio_namespace"; fi
}

# The revision a namespace's label value selects (a tag or a revision name), printed as "<revision>\t<how>".
# Returns 1 (with the reason on stdout) when it selects nothing.
resolve_selector() {
    local selector=$1 tag_webhook found revision_webhook
    tag_webhook=$(webhook_name "istio-revision-tag-$selector")
    found=$(kube get mutatingwebhookconfiguration "$tag_webhook" --ignore-not-found \
        -o jsonpath='{.metadata.name}{"\t"}{.metadata.labels.istio\.io/rev}') ||
        kubectl_failed "could not read MutatingWebhookConfiguration $tag_webhook"
    if [ -n "$found" ]; then
        local revision=${found#*$'\t'}
        if [ -z "$revision" ]; then
            printf 'a tag whose webhook %s has no istio.io/rev label' "$tag_webhook"
            return 1
        fi
        printf '%s\ttag %s -> revision %s' "$revision" "$selector" "$revision"
        return 0
    fi
    if [ "$selector" = "default" ]; then
        revision_webhook=$(webhook_name "istio-sidecar-injector")
    else
        revision_webhook=$(webhook_name "istio-sidecar-injector-$selector")
    fi
    found=$(kube get mutatingwebhookconfiguration "$revision_webhook" --ignore-not-found -o jsonpath='{.metadata.name}') ||
        kubectl_failed "could not read MutatingWebhookConfiguration $revision_webhook"
    if [ -n "$found" ]; then
        printf '%s\trevision %s' "$selector" "$selector"
        return 0
    fi
    printf 'neither a tag (no MutatingWebhookConfiguration %s) nor a revision (no %s)' "$tag_webhook" "$revision_webhook"
    return 1
}

# The workloads of a namespace with injected pods, as sorted "<kind>/<name>\t<proxy revisions>" lines.
workloads_of() {
    local ns=$1 replicasets pods
    replicasets=$(kube get replicasets -n "$ns" \
        -o jsonpath='{range .items[*]}{.metadata.name}{"\t"}{.metadata.ownerReferences[0].kind}{"\t"}{.metadata.ownerReferences[0].name}{"\n"}{end}') ||
        kubectl_failed "could not list the replicasets of namespace $ns"
    pods=$(kube get pods -n "$ns" \
        -o jsonpath='{range .items[*]}{.metadata.name}{"\t"}{.status.phase}{"\t"}{.metadata.ownerReferences[0].kind}{"\t"}{.metadata.ownerReferences[0].name}{"\t"}{.metadata.labels.sidecar\.istio\.io/inject}{"\t"}{.metadata.labels.istio\.io/rev}{"\t"}{.metadata.annotations.sidecar\.istio\.io/status}{"\n"}{end}') ||
        kubectl_failed "could not list the pods of namespace $ns"
    awk -F'\t' -v replicasets="$replicasets" '
        BEGIN {
            n = split(replicasets, lines, "\n")
            for (i = 1; i <= n; i++) {
                split(lines[i], f, "\t")
                if (f[2] == "Deployment") deployment[f[1]] = f[3]
            }
        }
        $1 == "" || $2 == "Succeeded" || $2 == "Failed" || $5 == "false" { next }
        {
            if ($3 == "ReplicaSet" && ($4 in deployment)) workload = "deployment/" deployment[$4]
            else if ($3 == "StatefulSet") workload = "statefulset/" $4
            else if ($3 == "DaemonSet") workload = "daemonset/" $4
            else next
            revision = $7 == "" ? "none" : ($6 == "" ? "unknown" : $6)
            if (!(workload in revisions)) { order[++count] = workload; revisions[workload] = revision }
            else if (!((workload, revision) in seen)) revisions[workload] = revisions[workload] ", " revision
            seen[workload, revision] = 1
        }
        END { for (i = 1; i <= count; i++) print order[i] "\t" revisions[order[i]] }
    ' <<<"$pods" | LC_ALL=C sort
}

# Resolve every namespace first; report every one that cannot be resolved, and restart nothing then.
problems=()
wanted=()
descriptions=()
for ns in "${namespaces[@]}"; do
    labels=$(kube get namespace "$ns" --ignore-not-found \
        -o jsonpath='{.metadata.name}|{.metadata.labels.istio-injection}|{.metadata.labels.istio\.io/rev}') ||
        kubectl_failed "could not read namespace $ns"
    if [ -z "$labels" ]; then
        problems+=("namespace $ns does not exist")
        continue
    fi
    # "|" separates the fields: a tab is IFS whitespace, and read would merge the empty ones.
    IFS='|' read -r _ injection rev_label <<<"$labels"
    if [ -n "$injection" ] && [ "$injection" != "enabled" ]; then
        problems+=("namespace $ns has istio-injection=$injection, so no revision injects it")
        continue
    elif [ -n "$injection" ]; then
        selector="default"
        label="istio-injection=enabled"
    elif [ -n "$rev_label" ]; then
        selector=$rev_label
        label="istio.io/rev=$rev_label"
    else
        problems+=("namespace $ns has neither istio-injection=enabled nor an istio.io/rev label, so no revision injects it")
        continue
    fi
    resolved=$(resolve_selector "$selector") && status=0 || status=$?
    [ "$status" -ne 3 ] || exit 3
    if [ "$status" -ne 0 ]; then
        problems+=("namespace $ns selects $label, which is $resolved")
        continue
    fi
    wanted+=("${resolved%%$'\t'*}")
    descriptions+=("$ns: $label -> ${resolved#*$'\t'}")
done
if [ ${#problems[@]} -gt 0 ]; then
    printf 'restart-workloads: %s\n' "${problems[@]}" >&2
    printf 'restart-workloads: nothing was restarted\n' >&2
    exit 1
fi

to_restart=()
for i in "${!namespaces[@]}"; do
    ns=${namespaces[$i]}
    printf '%s\n' "${descriptions[$i]}"
    workloads=$(workloads_of "$ns")
    if [ -z "$workloads" ]; then
        printf '  no deployment, statefulset or daemonset with running pods\n'
        continue
    fi
    while IFS=$'\t' read -r workload revisions; do
        if [ "$revisions" = "${wanted[$i]}" ]; then
            printf '  keep %s (proxies: %s)\n' "$workload" "$revisions"
        else
            printf '  restart %s (proxies: %s)\n' "$workload" "$revisions"
            to_restart+=("$ns $workload")
        fi
    done <<<"$workloads"
done

if [ ${#to_restart[@]} -eq 0 ]; then
    printf "nothing to restart: every workload's proxies run the revision its namespace selects\n"
    exit 0
fi
affected=$(printf '%s\n' "${to_restart[@]}" | awk '{ print $1 }' | sort -u | wc -l | tr -d ' ')
if [ "$apply" != true ]; then
    printf 'dry run: %d workload(s) to restart in %s namespace(s); run again with --apply to restart them\n' \
        "${#to_restart[@]}" "$affected"
    exit 0
fi
for entry in "${to_restart[@]}"; do
    ns=${entry%% *}
    workload=${entry#* }
    kube rollout restart "$workload" -n "$ns" >/dev/null || kubectl_failed "could not restart $workload in namespace $ns"
    printf 'restarted %s in %s\n' "$workload" "$ns"
done
printf 'restarted %d workload(s) in %s namespace(s); follow them with kubectl rollout status -n <namespace> <workload>\n' \
    "${#to_restart[@]}" "$affected"
