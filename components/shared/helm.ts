import * as helmv3 from "@pulumi/kubernetes/helm/v3";
import { Values } from "./merge";
import { ISTIO_CHART_REPOSITORY } from "./versions";
import { HelmReleaseSettingsArgs } from "./types";

/** Where a chart comes from: a repository URL (https:// or oci://) and a version. */
export interface HelmChartSource {
    repository?: string;
    version: string;
}

/**
 * The problems of a chart repository argument at `path`: it must be an https:// repository or an oci://
 * registry. Plain http:// is refused: the chart (and so what runs in the cluster) could be swapped in transit.
 */
export function chartRepositoryProblems(path: string, repository: string | undefined): string[] {
    if (repository === undefined || /^(https|oci):\/\/\S+$/.test(repository)) {
        return [];
    }
    return [`${path}: must be an https:// or oci:// URL, got "${repository}"`];
}

/**
 * The `helm.v3.Release` arguments for one chart: an https repository goes to `repositoryOpts`, an oci://
 * registry becomes part of the chart reference (Helm's own convention).
 */
export function helmReleaseArgs(
    source: HelmChartSource,
    chart: string,
    releaseName: string,
    namespace: string,
    values: Values,
    settings: Required<HelmReleaseSettingsArgs>,
): helmv3.ReleaseArgs {
    const repository = (source.repository ?? ISTIO_CHART_REPOSITORY).replace(/\/+$/, "");
    const location = repository.startsWith("oci://")
        ? { chart: `${repository}/${chart}` }
        : { chart, repositoryOpts: { repo: repository } };
    return {
        name: releaseName,
        ...location,
        version: source.version,
        namespace,
        values,
        atomic: settings.atomic,
        cleanupOnFail: settings.cleanupOnFail,
        maxHistory: settings.maxHistory,
        timeout: settings.timeoutSeconds,
    };
}
