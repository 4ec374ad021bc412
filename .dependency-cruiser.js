/**
 * `npm run lint`'s import rules (dependency-cruiser): no import cycles, type-only imports included (a type
 * that two modules both need belongs in a third), and the model library (`generators/`) never imports the
 * sandbox (`sandbox/`): data flows from the model to the stack, not back.
 */
/** @type {import("dependency-cruiser").IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: move what both sides need into a module of its own.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'generators-not-sandbox',
      severity: 'error',
      comment: 'generators/ is the pure model library; it must not depend on the sandbox.',
      from: { path: '^generators/' },
      to: { path: '^sandbox/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    // Type-only imports count: a cycle through types is still a cycle in the design.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
  },
};
