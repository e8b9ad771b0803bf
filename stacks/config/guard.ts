/**
 * The guard rails' stack config: `istio-mesh:acknowledgements` and `istio-mesh:ownedNamespaces` (ServiceMesh's
 * `acknowledgements` and `ownedNamespaces`), and the deployed state read from the stack's own last outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { MeshState } from "../../components/guards/mesh-state";

export const acknowledgementsSchema = z.array(z.string().min(1)).default([]);

export const ownedNamespacesSchema = z
    .strictObject({ retainOnDelete: z.boolean().optional(), protect: z.boolean().optional() })
    .default({});

/** The stack output that holds the mesh state (the next deployment's deployed state). */
export const MESH_STATE_OUTPUT = "meshState";

/** The fully qualified name of the stack being deployed, for a StackReference to itself. */
export function ownStackName(): string {
    return `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
}

/**
 * The mesh state of the last successful deployment: the stack's own `meshState` output, read through a
 * StackReference to the stack itself (Pulumi reads the outputs of the last checkpoint; a stack never deployed
 * has none). Undefined on a first deployment. A stack deployed by a version of this package without the output
 * is reported with a warning and not guarded in this one update.
 */
export async function readDeployedState(): Promise<MeshState | undefined> {
    const self = new pulumi.StackReference("deployed-state", { name: ownStackName() });
    const details = await self.getOutputDetails(MESH_STATE_OUTPUT);
    const value = (details.value ?? details.secretValue) as MeshState | undefined;
    if (value === undefined) {
        const earlier = await self.getOutputDetails("mtls");
        if (earlier.value !== undefined || earlier.secretValue !== undefined) {
            void pulumi.log.warn(
                `the deployed stack has no "${MESH_STATE_OUTPUT}" output (deployed by an earlier istio-mesh version): this update's transitions are not checked; the next one's are`,
            );
        }
    }
    return value;
}
