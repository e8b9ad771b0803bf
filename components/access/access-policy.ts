import * as pulumi from "@pulumi/pulumi";
import { throwIfInvalid } from "../shared/errors";
import { createObject } from "../shared/kube-object";
import { listOf, qualifiedNameOf } from "../shared/lineage";
import { childName } from "../shared/names";
import { buildAccessObjects } from "./policies";
import { validateAccessPolicyArgs } from "./validation";

/** A `when` condition of an authorization rule. */
export interface AccessConditionArgs {
    /** Istio attribute, e.g. "request.headers[x-tenant]", "source.ip", "request.auth.claims[groups]". Required. */
    key: string;
    /** Values that match. Default: none (set values or notValues). */
    values?: string[];
    /** Values that must not match. Default: none. */
    notValues?: string[];
}

/** One authorization rule: a source (from), an operation (to) and conditions; every field set must match. */
export interface AccessRuleArgs {
    /** Source workload identities, e.g. "cluster.local/ns/production/sa/frontend". Default: any. */
    principals?: string[];
    /** Source namespaces (needs mTLS). Default: any. */
    namespaces?: string[];
    /** Source IP blocks (CIDR or IP), e.g. "10.0.0.0/8". Default: any. */
    ipBlocks?: string[];
    /** Request principals of a validated JWT ("<issuer>/<subject>", "*" for any valid token). Default: any. */
    requestPrincipals?: string[];
    /** HTTP methods, e.g. "GET". Default: any. */
    methods?: string[];
    /** HTTP paths (exact, "prefix*", "*suffix"), e.g. "/api/*". Default: any. */
    paths?: string[];
    /** Destination ports. Default: any. */
    ports?: number[];
    /** JWT claims and the values they must have, e.g. {"role": ["admin", "user"]}. Default: none. */
    claims?: { [claim: string]: string[] };
    /** Other conditions. Default: none. */
    when?: AccessConditionArgs[];
}

/** An AuthorizationPolicy. */
export interface AuthorizationRuleSetArgs {
    /** Policy name (DNS-1123 subdomain). Required. */
    name: string;
    /** Namespace the policy applies in. Required. */
    namespace: string;
    /** Pod labels of the workloads it applies to. Default: every workload of the namespace. */
    selector?: { [key: string]: string };
    /** "ALLOW" or "DENY" (DENY wins over ALLOW). Default: "ALLOW". */
    action?: string;
    /** Rules; a request matching any rule matches the policy. Required (at least one). */
    rules: AccessRuleArgs[];
}

/** A JWT issuer: a RequestAuthentication and, by default, the policy that requires its token. */
export interface JwtIssuerArgs {
    /** Name of the RequestAuthentication (the require policy is "require-jwt-<name>"). Required. */
    name: string;
    /** Namespace of the workloads that accept the token. Required. */
    namespace: string;
    /** Pod labels of those workloads. Default: every workload of the namespace. */
    selector?: { [key: string]: string };
    /** Token issuer (`iss` claim), e.g. "https://auth.example.com/". Required. */
    issuer: string;
    /** URL of the issuer's public keys (https). Required. */
    jwksUri: string;
    /** Accepted `aud` values. Default: any audience. */
    audiences?: string[];
    /** Keep the token in the request forwarded to the workload. Default: false. */
    forwardOriginalToken?: boolean;
    /**
     * Also create a DENY policy that rejects requests without a valid token on `ports` (without it, a request
     * without any token passes the RequestAuthentication unauthenticated). Default: true.
     */
    requireToken?: boolean;
    /**
     * HTTP ports of the workloads on which the token is required (the require policy is a DENY limited to
     * these ports, so it cannot deny their TCP ports). Required when requireToken is true.
     */
    ports?: number[];
    /** Claims the required token must carry, e.g. {"role": ["admin", "user"]}. Default: none. */
    requiredClaims?: { [claim: string]: string[] };
}

/** Arguments of the mesh's access policy. */
export interface AccessPolicyArgs {
    /**
     * Namespaces that deny every request not allowed by a policy (an ALLOW-nothing AuthorizationPolicy named
     * "deny-all"). Default: none.
     */
    defaultDenyNamespaces?: string[];
    /**
     * In default-deny namespaces, allow requests from the ingress gateways (policy "allow-ingress-gateway") so
     * services routed through them stay reachable. Default: true.
     */
    allowIngressGateway?: boolean;
    /**
     * SPIFFE identities of the ingress gateways ("<trust domain>/ns/<namespace>/sa/<service account>").
     * Default: ["cluster.local/ns/istio-ingress/sa/istio-ingressgateway"].
     */
    ingressGatewayPrincipals?: string[];
    /**
     * In default-deny namespaces, allow metrics scraping (policy "allow-metrics-scraping": GET on the metrics
     * paths, from any source, so a Prometheus outside the mesh works too). Default: true.
     */
    allowMetricsScraping?: boolean;
    /** Paths the metrics allowance admits. Default: ["/metrics", "/stats/prometheus"]. */
    metricsPaths?: string[];
    /** Ports the metrics allowance is limited to. Default: any port. */
    metricsPorts?: number[];
    /** Explicit ALLOW and DENY policies. Default: none. */
    policies?: AuthorizationRuleSetArgs[];
    /** JWT issuers (RequestAuthentication + require policy). Default: none. */
    jwtIssuers?: JwtIssuerArgs[];
}

/**
 * Access policy: per-namespace default deny that keeps the ingress gateway and metrics scraping working,
 * explicit ALLOW/DENY AuthorizationPolicies, and JWT RequestAuthentication with its require policy.
 */
export class AccessPolicy extends pulumi.ComponentResource {
    /** The objects created, as "Kind namespace/name". */
    public readonly objects: pulumi.Output<string[]>;

    constructor(name: string, args: AccessPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:index:AccessPolicy", name, args, opts);
        throwIfInvalid(this, "AccessPolicy", name, validateAccessPolicyArgs(args));
        const created: pulumi.Output<string>[] = [];
        for (const object of buildAccessObjects(args)) {
            const kind = object.kind === "RequestAuthentication" ? "ra" : "ap";
            const ns = object.metadata.namespace ?? "";
            const resource = createObject(childName(name, ns, object.metadata.name, kind), object, {
                parent: this,
            });
            created.push(pulumi.interpolate`${resource.kind} ${qualifiedNameOf(resource)}`);
        }
        this.objects = listOf(created);
        this.registerOutputs({ objects: this.objects });
    }
}
