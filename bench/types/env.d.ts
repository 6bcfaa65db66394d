/**
 * The Node type-check project (tsconfig.node.json, which includes bench/) has no Workers types,
 * but the modules the benchmarks import from src/ (config.ts) name the Worker's `Env`. For the
 * benchmarks it is the bag of string vars that getConfig reads.
 */
interface Env {
  [name: string]: string | undefined;
}
