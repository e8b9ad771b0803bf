/**
 * The guard rails as ServiceMesh applies them: the desired mesh state, the refusals (dangerous transitions from
 * the deployed state, security chart values) with their acknowledgements, and the resource options that keep
 * owned namespaces through config edits and `pulumi destroy`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ServiceMeshArgs } from "../mesh/service-mesh";
import { MeshState, meshStateOf } from "./mesh-state";
import { securityOverrides } from "./security-values";
import { GuardProblem, transitionProblems } from "./transitions";

/** The word every guard refusal starts with (after the component's prefix); `npm run plan` exits 3 on them. */
export const REFUSED = "refused:";

/** One refusal as a problem line: `refused: <path>: <message>; <what to do>`. */
export function formatGuardProblem(problem: GuardProblem): string {
    const instruction =
        problem.path.startsWith("acknowledgements[") || problem.path === "deployedState.version"
            ? problem.hint
            : `to go ahead on purpose, acknowledge "${problem.hint}"`;
    return `${REFUSED} ${problem.path}: ${problem.message}; ${instruction}`;
}

/** The desired state of `args` and every refusal of the change from `args.deployedState` to it, as lines. */
export function guardMesh(args: ServiceMeshArgs): { state: MeshState; refusals: string[] } {
    const state = meshStateOf(args);
    const problems = transitionProblems(
        args.deployedState,
        state,
        args.acknowledgements ?? [],
        securityOverrides(args),
    );
    return { state, refusals: problems.map(formatGuardProblem) };
}

/** What happens to the namespaces the mesh creates when their resource is deleted. */
export interface OwnedNamespaceProtection {
    /**
     * Keep the Namespace (and everything in it) in the cluster when Pulumi deletes its resource: on `pulumi
     * destroy`, and when a config edit removes or replaces it. Set false only for throwaway clusters. Default: true.
     */
    retainOnDelete?: boolean;
    /**
     * Protect the Namespace resources: Pulumi refuses to delete or replace them (and `pulumi destroy` fails)
     * until they are unprotected (`pulumi state unprotect`). Default: false (the prod profile sets true).
     */
    protect?: boolean;
}

const NAMESPACE_TYPE = "kubernetes:core/v1:Namespace";

/**
 * A resource transformation for a component's options: every Namespace created below the component gets the
 * protection options, and every resource below it is recorded in `created` (the desired state is true once
 * they are all registered).
 */
export function meshTransformation(
    protection: OwnedNamespaceProtection | undefined,
    created: pulumi.Resource[],
): pulumi.ResourceTransformation {
    const retainOnDelete = protection?.retainOnDelete ?? true;
    const protect = protection?.protect ?? false;
    return (args) => {
        created.push(args.resource);
        if (args.type !== NAMESPACE_TYPE) {
            return undefined;
        }
        return { props: args.props, opts: { ...args.opts, retainOnDelete, protect } };
    };
}

/** `state`, once every resource of `created` is registered (a failed update never publishes it). */
export function stateWhenCreated(state: MeshState, created: pulumi.Resource[]): pulumi.Output<MeshState> {
    return pulumi.all(created.map((r) => r.urn)).apply(() => state);
}
