// node:fs for the function bundles, loaded without an ES module facade (lib/bundling.ts, BUILTINS_WITHOUT_FACADE).
module.exports = process.getBuiltinModule('node:fs');
