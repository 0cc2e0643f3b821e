// The dependency rule of docs/architecture.md, enforced by `npm run lint` (dependency-cruiser).
// Paths are relative to the repository root. Today's violations are frozen in
// .dependency-cruiser-known-violations.json; `npm run lint:baseline` can only remove entries from it.

/** Pure rules and shapes: no I/O, no ports. They import other rules only. */
export const ruleFolders = [
  'identifiers',
  'calendar',
  'datasets',
  'privacy',
  'http',
  'contract',
  'reports',
  'paging',
  'lifecycle',
];

/**
 * What an adapter may import from a use case: its ports and its record shapes, recognised by file name —
 * `ports.ts`, `<name>-ports.ts`, `types.ts`, `<name>-types.ts`, and `messages.ts` (the queue message records a
 * queue adapter sends). Everything else in a use-case folder is that use case's internals.
 */
export const portModule = '(^|/)(ports|[^/]+-ports|types|[^/]+-types|messages)\\.ts$';

const rules = ruleFolders.join('|');
const sdk = '(^|/)node_modules/@aws-sdk/';

/**
 * The layers, outermost last. `where` is a regular expression on the repository path; the docs generator
 * renders this table into docs/architecture.md.
 */
export const layers = [
  {
    name: 'rules',
    where: `^lib/(${rules})/`,
    holds: 'pure functions and shapes: check characters, schemas, periods, masking, problem shapes — no I/O',
    mayImport: 'other rules',
  },
  {
    name: 'platform',
    where: '^lib/platform/',
    holds: 'the one definition of every resource, env name and metric',
    mayImport: 'rules',
  },
  {
    name: 'use cases',
    where: `^lib/(?!(aws|platform|${rules})/)`,
    holds: 'what the platform does, written against ports declared beside each use case',
    mayImport: 'rules, platform, other use cases — never `lib/aws` or `@aws-sdk/*`',
  },
  {
    name: 'adapters',
    where: '^lib/aws/',
    holds:
      'the only code that talks DynamoDB/S3/SQS/EventBridge; implements the ports; owns every key shape (`lib/aws/items/`: `pk`, `sk`, `gsi*` and item builders)',
    mayImport: 'rules, platform, `@aws-sdk/*`, and a use case’s port/record modules only',
  },
  {
    name: 'handlers',
    where: '^functions/',
    holds: 'a thin handler per function + its composition root (`dependencies.ts`)',
    mayImport: 'everything in `lib/` and `functions/shared`; `@aws-sdk/*` only in `dependencies.ts`',
  },
  {
    name: 'infra',
    where: '^infra/',
    holds: 'the CDK app and its constructs',
    mayImport: '`lib/platform` and `lib/http` (shared error shapes) — never handler or local code',
  },
  {
    name: 'local',
    where: '^local/',
    holds: 'the embedded stack: emulators, event wiring, local gateway',
    mayImport: 'everything but tests',
  },
  {
    name: 'tools, bench, test',
    where: '^(tools|bench|test)/',
    holds: 'operator commands, benchmarks, tests and their fixtures',
    mayImport: 'everything (only `test/` and `bench/` import `test/`)',
  },
];

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import circles anywhere, type-only ones included: a circle is one module in two files.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-not-to-adapters',
      severity: 'error',
      comment:
        'Rules and use cases under lib/ never import the adapters in lib/aws/: they declare ports instead.',
      from: { path: '^lib/', pathNot: '^lib/aws/' },
      to: { path: '^lib/aws/' },
    },
    {
      name: 'sdk-only-in-adapters',
      severity: 'error',
      comment:
        '@aws-sdk/* is imported only by lib/aws/, the composition roots functions/<fn>/dependencies.ts, ' +
        'and local/, infra/, tools/, bench/, test/.',
      from: {
        pathNot: '^(lib/aws/|functions/[^/]+/dependencies\\.ts$|local/|infra/|tools/|bench/|test/)',
      },
      to: { path: sdk },
    },
    {
      name: 'adapters-only-port-and-record-types',
      severity: 'error',
      comment:
        'lib/aws/ imports rules and platform, and from a use case only its port/record modules ' +
        '(ports.ts, *-ports.ts, types.ts, *-types.ts, messages.ts) — never its internals.',
      from: { path: '^lib/aws/' },
      to: { path: '^lib/', pathNot: [`^lib/(aws|platform|${rules})/`, portModule] },
    },
    {
      name: 'rules-import-rules-only',
      severity: 'error',
      comment: 'Rules (pure functions and shapes) import other rules only.',
      from: { path: `^lib/(${rules})/` },
      to: { path: '^lib/', pathNot: `^lib/(${rules})/` },
    },
    {
      name: 'platform-imports-rules-only',
      severity: 'error',
      comment: 'lib/platform/ (resource definitions) imports rules only.',
      from: { path: '^lib/platform/' },
      to: { path: '^lib/', pathNot: `^lib/(platform|${rules})/` },
    },
    {
      name: 'lib-not-to-outer-layers',
      severity: 'error',
      comment: 'lib/ never imports handlers, the local stack, infra, tools, benchmarks or tests.',
      from: { path: '^lib/' },
      to: { path: '^(functions|local|infra|tools|bench|test)/' },
    },
    {
      name: 'functions-not-to-other-functions',
      severity: 'error',
      comment: 'functions/<a>/ never imports functions/<b>/; shared handler code lives in functions/shared/.',
      from: { path: '^functions/([^/]+)/' },
      to: { path: '^functions/', pathNot: '^functions/($1|shared)/' },
    },
    {
      name: 'infra-not-to-handlers-or-local',
      severity: 'error',
      comment: 'infra/ never imports handler code or the local stack (it bundles handlers by path).',
      from: { path: '^infra/' },
      to: { path: '^(functions|local)/' },
    },
    {
      name: 'infra-only-platform',
      severity: 'error',
      comment: 'From lib/, infra/ imports only lib/platform/ and the shared error shapes in lib/http/.',
      from: { path: '^infra/' },
      to: { path: '^lib/', pathNot: '^lib/(platform|http)/' },
    },
    {
      name: 'not-to-test',
      severity: 'error',
      comment: 'Shipped and operator code never imports test code (benchmarks may reuse test fixtures).',
      from: { pathNot: '^(test|bench)/' },
      to: { path: '^test/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves: an unresolved import would slip past every rule above.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // The architecture test's fixtures break every rule on purpose; it cruises them on their own.
    exclude: { path: '^(cdk\\.out|\\.local|test-artifacts)/|^test/unit/architecture/fixtures/' },
    // Type-only imports count: a use case importing an adapter's class as a type still depends on it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
