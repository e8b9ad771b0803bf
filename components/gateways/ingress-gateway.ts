import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as helmv3 from "@pulumi/kubernetes/helm/v3";
import * as pulumi from "@pulumi/pulumi";
import { GATEWAY_TLS12_CIPHER_SUITES, INGRESS_DEFAULTS, RELEASE_DEFAULTS } from "../shared/defaults";
import { ProblemList, throwIfInvalid } from "../shared/errors";
import { chartRepositoryProblems, helmReleaseArgs } from "../shared/helm";
import { createObject, OWNED_NAMESPACE_LABELS } from "../shared/kube-object";
import { withDefaults } from "../shared/merge";
import { listOf, madeTrueBy, nameOf } from "../shared/lineage";
import { childName, isDnsLabel } from "../shared/names";
import { HelmReleaseSettingsArgs } from "../shared/types";
import { ISTIO_CHARTS, ISTIO_VERSION } from "../shared/versions";
import { buildServerCertificate, certificateTimeProblems } from "../tls/certificates";
import { buildVirtualService, isIstioDuration } from "../traffic/http-routes";
import { HttpRouteArgs } from "../traffic/route-types";
import {
    buildIngressGateway,
    certificateName,
    cipherSuiteProblems,
    gatewayReference,
    httpsOnlyRoutes,
    TLS_VERSIONS,
    validateDomains,
} from "./gateway-spec";
import {
    buildGatewayChartValues,
    GatewayChartOptions,
    gatewaySelector,
    GatewayWorkloadArgs,
    validateGatewayWorkloadArgs,
} from "./workload";

/** A VirtualService bound to a domain group's Gateway. */
export interface GatewayRouteArgs {
    /** Name of the VirtualService (e.g. "api-routes"). Required. */
    name: string;
    /** Namespace of the VirtualService (usually the application's). Default: the gateway's namespace. */
    namespace?: string;
    /** Hosts the routes apply to; each must be one of the group's hosts. Default: all the group's hosts. */
    hosts?: string[];
    /** The HTTP routes, in match order (a catch-all last). Required. */
    http: HttpRouteArgs[];
}

/** One domain group: an Istio Gateway, its certificate, and the routes bound to it. */
export interface GatewayDomainArgs {
    /** Name of the Istio Gateway (e.g. "public-gateway"); its certificate and Secret are "<name>-tls". Required. */
    name: string;
    /** Hosts the Gateway serves and the certificate covers, e.g. ["api.example.com", "app.example.com"]. Required. */
    hosts: string[];
    /**
     * Redirect HTTP (port 80) to HTTPS. Turn it off only for an ACME HTTP-01 issuer, whose challenges must be
     * answered over plain HTTP (Istio cannot redirect a host and serve its challenge on one port); the group's
     * routes are then bound to port 443 only, so port 80 answers the challenges and nothing else. Default: true.
     */
    httpsRedirect?: boolean;
    /** VirtualServices bound to this Gateway. Default: none. */
    routes?: GatewayRouteArgs[];
    /**
     * Namespaces whose VirtualServices may bind to this Gateway: its server hosts become `<namespace>/<host>` for
     * each, so a VirtualService elsewhere cannot claim its hosts. Default: the namespaces of `routes` (ServiceMesh
     * adds those of the traffic services bound to it); with none, the hosts are not scoped (any namespace).
     */
    routeNamespaces?: string[];
}

/** Arguments of an Istio ingress gateway with cert-manager certificates. */
export interface IngressGatewayArgs {
    /** Helm release name of the gateway; its pods carry `istio: <releaseName>`, which the Gateways select. Default: the component's name. */
    releaseName?: string;
    /** Namespace of the gateway workload, its Gateways and certificates (never labelled istio-injection=disabled). Default: "istio-ingress". */
    namespace?: string;
    /**
     * Create (and own) the namespace; false when it exists already or another component creates it. Under a
     * ServiceMesh it is filled by the mesh (which creates each gateway namespace once, except the control
     * plane's and cert-manager's); another value is an error. Default: true.
     */
    createNamespace?: boolean;
    /** ClusterIssuer that signs the gateway's certificates. Required. */
    issuerName: string;
    /** Domain groups: one Istio Gateway and one certificate each. Required (at least one). */
    domains: GatewayDomainArgs[];
    /** Accept wildcard hosts such as "*.example.com" (their certificates need a DNS-01 issuer). Default: false. */
    allowWildcardHosts?: boolean;
    /** Lowest TLS version the HTTPS servers accept: "TLSV1_2" or "TLSV1_3". Default: "TLSV1_2". */
    minTlsVersion?: string;
    /**
     * TLS 1.2 cipher suites the HTTPS servers accept (Envoy names, in preference order). TLS 1.3 suites are not
     * configurable in Envoy, so with minTlsVersion "TLSV1_3" this must stay unset (and none is rendered).
     * Default: ECDHE with AES-GCM or ChaCha20-Poly1305 only (ECDHE-ECDSA-AES128-GCM-SHA256,
     * ECDHE-RSA-AES128-GCM-SHA256, ECDHE-ECDSA-AES256-GCM-SHA384, ECDHE-RSA-AES256-GCM-SHA384,
     * ECDHE-ECDSA-CHACHA20-POLY1305, ECDHE-RSA-CHACHA20-POLY1305).
     */
    cipherSuites?: string[];
    /** Certificate lifetime, a duration of at least "1h" such as "2160h" (ACME issuers choose their own). Default: "2160h". */
    certificateDuration?: string;
    /** Renew certificates this long before they expire: at least "5m" and shorter than the lifetime. Default: "720h". */
    certificateRenewBefore?: string;
    /** The gateway's pods and Service. Default: see each field (LoadBalancer Service, 2-5 replicas, PDB, zone spread). */
    workload?: GatewayWorkloadArgs;
    /** Istio version of the gateway chart (keep it the control plane's). Default: "1.30.3". */
    version?: string;
    /** Helm repository of the Istio charts (https:// or oci://). Default: "https://istio-release.storage.googleapis.com/charts". */
    chartRepository?: string;
    /** Istio revision of the control plane whose injector configures the gateway. Default: none (the default revision). */
    revision?: string;
    /** Names of image pull secrets for a private registry. Default: none. */
    imagePullSecrets?: string[];
    /** How the Helm release is installed and upgraded. Default: see each field. */
    release?: HelmReleaseSettingsArgs;
}

/**
 * An Istio ingress gateway: the `gateway` chart (give the component a `dependsOn` on the control plane, whose
 * injector renders the pods, on the cert-manager install with its issuers, and on the namespaces its routes live
 * in), then per domain group a cert-manager Certificate in the gateway's namespace, the
 * Istio Gateway (after the certificate is Ready and the workload is installed) and its VirtualServices.
 */
export class IngressGateway extends pulumi.ComponentResource {
    /** Namespace of the gateway workload. */
    public readonly namespace: pulumi.Output<string>;
    /** Pod labels the Gateways select. */
    public readonly selector: pulumi.Output<{ [key: string]: string }>;
    /** `<namespace>/<name>` of each Istio Gateway, for VirtualServices' `gateways`. */
    public readonly gateways: pulumi.Output<string[]>;

    constructor(name: string, args: IngressGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:index:IngressGateway", name, args, opts);
        const namespace = args.namespace ?? INGRESS_DEFAULTS.namespace;
        const releaseName = args.releaseName ?? name;
        const workload = args.workload ?? {};
        const options: GatewayChartOptions = {
            revision: args.revision,
            defaultServiceType: INGRESS_DEFAULTS.serviceType,
            imagePullSecrets: args.imagePullSecrets,
        };
        const minTlsVersion = args.minTlsVersion ?? INGRESS_DEFAULTS.minTlsVersion;
        const p = new ProblemList();
        p.problems.push(...chartRepositoryProblems("chartRepository", args.chartRepository));
        if (!isDnsLabel(releaseName)) {
            p.add("releaseName", `must be a DNS-1123 label, got "${releaseName}"`);
        }
        if (!isDnsLabel(namespace)) {
            p.add("namespace", `must be a DNS-1123 label, got "${namespace}"`);
        }
        if (!args.issuerName) {
            p.add("issuerName", "is required (the ClusterIssuer that signs the gateway's certificates)");
        }
        p.oneOf("minTlsVersion", minTlsVersion, TLS_VERSIONS);
        for (const [key, value] of [
            ["certificateDuration", args.certificateDuration],
            ["certificateRenewBefore", args.certificateRenewBefore],
        ]) {
            if (value !== undefined && !isIstioDuration(value)) {
                p.add(key!, `must be a duration such as "720h", got "${value}"`);
            }
        }
        throwIfInvalid(this, "IngressGateway", name, [
            ...p.problems,
            ...cipherSuiteProblems(args.cipherSuites, minTlsVersion, "cipherSuites"),
            ...certificateTimeProblems(args.certificateDuration, args.certificateRenewBefore, {
                duration: "certificateDuration",
                renewBefore: "certificateRenewBefore",
            }),
            ...validateGatewayWorkloadArgs(releaseName, workload, options, "workload"),
            ...validateDomains(
                args.domains ?? [],
                args.allowWildcardHosts ?? INGRESS_DEFAULTS.allowWildcardHosts,
                "domains",
            ),
        ]);

        const first: corev1.Namespace[] = [];
        if (args.createNamespace ?? true) {
            first.push(
                new corev1.Namespace(
                    childName(name, "namespace"),
                    { metadata: { name: namespace, labels: { ...OWNED_NAMESPACE_LABELS } } },
                    { parent: this },
                ),
            );
        }
        const workloadRelease = new helmv3.Release(
            childName(name, "release"),
            helmReleaseArgs(
                { repository: args.chartRepository, version: args.version ?? ISTIO_VERSION },
                ISTIO_CHARTS.gateway,
                releaseName,
                namespace,
                buildGatewayChartValues(releaseName, workload, options),
                withDefaults(RELEASE_DEFAULTS, args.release),
            ),
            { parent: this, dependsOn: first },
        );
        const selector = gatewaySelector(releaseName);
        const gateways: pulumi.Output<string>[] = [];
        for (const domain of args.domains) {
            const certificate = createObject(
                childName(name, "certificate", domain.name),
                buildServerCertificate({
                    name: certificateName(domain.name),
                    namespace,
                    dnsNames: domain.hosts,
                    issuerName: args.issuerName,
                    duration: args.certificateDuration,
                    renewBefore: args.certificateRenewBefore,
                }),
                { parent: this, dependsOn: first },
            );
            const gateway = createObject(
                childName(name, "gateway", domain.name),
                buildIngressGateway({
                    name: domain.name,
                    namespace,
                    selector,
                    hosts: domain.hosts,
                    routeNamespaces:
                        domain.routeNamespaces ?? (domain.routes ?? []).map((r) => r.namespace ?? namespace),
                    credentialName: certificateName(domain.name),
                    minTlsVersion,
                    cipherSuites:
                        minTlsVersion === "TLSV1_3"
                            ? []
                            : (args.cipherSuites ?? [...GATEWAY_TLS12_CIPHER_SUITES]),
                    httpsRedirect: domain.httpsRedirect ?? true,
                }),
                { parent: this, dependsOn: [workloadRelease, certificate] },
            );
            gateways.push(gateway.metadata.apply((m) => gatewayReference(m.namespace ?? "", m.name ?? "")));
            const httpsRedirect = domain.httpsRedirect ?? true;
            for (const route of domain.routes ?? []) {
                const virtualService = buildVirtualService({
                    name: route.name,
                    namespace: route.namespace ?? namespace,
                    hosts: route.hosts ?? domain.hosts,
                    gateways: [gatewayReference(namespace, domain.name)],
                    routes: route.http,
                });
                createObject(
                    childName(name, "route", domain.name, route.name),
                    httpsRedirect
                        ? virtualService
                        : { ...virtualService, spec: httpsOnlyRoutes(virtualService.spec) },
                    { parent: this, dependsOn: [gateway] },
                );
            }
        }

        // The namespace from the Namespace when the gateway creates it, else from the release installed in it;
        // the selector from the release whose pods carry it; the Gateway references from the Gateways.
        this.namespace = first.length > 0 ? nameOf(first[0]) : workloadRelease.namespace;
        this.selector = madeTrueBy(selector, [workloadRelease]);
        this.gateways = listOf(gateways);
        this.registerOutputs({ namespace: this.namespace, selector: this.selector, gateways: this.gateways });
    }
}
