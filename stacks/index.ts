// Entry point of the Pulumi program (Pulumi.yaml `main`): an async function whose result is the stack outputs.
import { program } from "./program";

export = program;
