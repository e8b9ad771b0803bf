/**
 * Deployed stacks keep their resources. A child's URN is its identity: change its logical name, parent or type
 * and `pulumi up` deletes the old resource and creates a new one (a namespace with everything in it, a
 * gateway's load balancer address, a CA). A child that is renamed, re-parented or re-typed therefore carries
 * the alias of what it was, so a stack deployed with an earlier version updates it in place. Its own children
 * follow (the engine derives their aliases from their parent's). tests/stacks/urn-aliases.spec.ts fails when a
 * URN of a shipped stack disappears without such an alias.
 */
import * as pulumi from "@pulumi/pulumi";

/** What a child was before a rename; unset fields are as they are now. */
export interface FormerIdentity {
    /** Its former logical name, built with `childName` as it was then (e.g. `childName(name, "ingress", release)`). */
    name?: string;
    /** Its former parent (`pulumi.rootStackResource` when it had none: it was at the stack's root). */
    parent?: pulumi.Resource;
    /** Its former type token. */
    type?: string;
}

/**
 * `opts` with an alias for each former identity of the child added (aliases already in `opts` are kept), e.g.
 * `withFormerIdentities({ parent: this }, { name: childName(name, "ingress", gateway.releaseName) })`.
 */
export function withFormerIdentities<T extends pulumi.ResourceOptions>(
    opts: T,
    ...former: FormerIdentity[]
): T {
    const aliases: pulumi.Alias[] = former.map((identity) => ({
        ...(identity.name !== undefined ? { name: identity.name } : {}),
        ...(identity.parent !== undefined ? { parent: identity.parent } : {}),
        ...(identity.type !== undefined ? { type: identity.type } : {}),
    }));
    return { ...opts, aliases: [...(opts.aliases ?? []), ...aliases] };
}
