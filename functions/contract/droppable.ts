// Contract: how the route table and the schemas declare their values so that each function's bundle keeps only those
// its own route uses. Building every route's zod schemas cost each cold start about 30 ms; esbuild drops a top-level
// value no code of the bundle reads, but only when building it can have no side effect, which it cannot tell of a
// chain of zod calls, nor of an object that spreads another.

/**
 * Builds a contract value (a route, a schema or a part of one) where it is declared. Called as
 * `/* @__PURE__ *\/ droppable(() => …)`, so esbuild drops the value from every bundle that never uses it (it honours a
 * function's own @__NO_SIDE_EFFECTS__ only in the function's file). A value declared without both still works, but
 * is built in every function.
 */
export function droppable<T>(build: () => T): T {
  return build();
}
