/** Reporting a component's own argument checks as config problems, when the section mirrors the arguments. */

/**
 * Reports each `path: message` problem of a component's argument checks under the config key `<section>.path`
 * (`section` empty: the path is already a config key).
 */
export function reportComponentProblems(
    section: string,
    problems: string[],
    report: (path: string, message: string) => void,
): void {
    for (const problem of problems) {
        const at = problem.indexOf(": ");
        const path = problem.slice(0, at);
        report(section ? `${section}.${path}` : path, problem.slice(at + 2));
    }
}
