/** Issuer fixtures shared by the TLS tests (as component arguments; the config shape is the same). */

/** An ACME issuer "le" solving DNS-01 on Cloudflare with `apiToken` (a Pulumi secret or a config string). */
export function cloudflareIssuer<T>(apiToken: T) {
    return {
        name: "le",
        type: "acme",
        acme: {
            email: "ops@example.com",
            solver: "dns01",
            dns01: { provider: "cloudflare", cloudflare: { apiToken } },
        },
    };
}
