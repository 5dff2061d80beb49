// Which packages the local homes' bundles (scripts/build.mjs) and the benchmark's (bench/common.mjs)
// take in rather than import from node_modules at run time.
//
// jsonata is CommonJS: an ES module that imports it has Node's loader lex its 200 KB of source at every
// start to find its exports, and optimise the lexer in the background while the first executions run
// (a fresh process's first thousand concurrent executions: 126-145 ms lexed, 89-125 ms not; BENCHMARKS.md).
// Bundled, it is plain code in the bundle. The other packages stay in node_modules: bundling the AWS SDK
// clients too took the server's start from ~0.53 s to ~0.38 s but its build from 0.38 s to 0.72 s.
const BUNDLED = ['jsonata'];

/** An esbuild plugin: every package external (as `packages: 'external'`), except those in BUNDLED. */
export const externalPackagesButBundled = {
  name: 'external-packages-but-bundled',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = args.path.startsWith('@') ? args.path.split('/', 2).join('/') : args.path.split('/', 1)[0];
      return BUNDLED.includes(name) ? undefined : { path: args.path, external: true };
    });
  },
};
