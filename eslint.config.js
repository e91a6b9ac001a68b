import oclif from 'eslint-config-oclif'
import prettier from 'eslint-config-prettier'

export default [
  {ignores: ['dist/', 'node_modules/', 'oclif.manifest.json']},
  ...oclif,
  prettier,
  {
    rules: {
      // fetch is stable in every Node.js 20 release we support (>= 20.13).
      'n/no-unsupported-features/node-builtins': [
        'error',
        {ignores: ['fetch', 'Headers', 'Response', 'module.register', 'test.describe', 'test.it']},
      ],
      // Field order in objects is meaningful here: API answers, JSON output and wire parameters keep theirs.
      'perfectionist/sort-objects': 'off',
      // File modes (0o600) are checked with masks.
      'no-bitwise': 'off',
      // Our error classes carry exit codes; the abbreviation rule fights oclif's own names.
      'unicorn/prevent-abbreviations': 'off',
    },
  },
  {
    // bin/run.js imports the bundle that `npm run build` writes; lint runs before the build in CI.
    files: ['bin/**'],
    rules: {'import/no-unresolved': 'off'},
  },
  {
    // Tests use node's built-in runner, not mocha.
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.mjs'],
    rules: {
      'mocha/max-top-level-suites': 'off',
      'mocha/no-top-level-hooks': 'off',
      'mocha/no-mocha-arrows': 'off',
      'mocha/no-setup-in-describe': 'off',
      'no-await-in-loop': 'off',
      'no-promise-executor-return': 'off',
      'no-return-assign': 'off',
      'unicorn/consistent-function-scoping': 'off',
      'n/no-process-exit': 'off',
      'unicorn/no-process-exit': 'off',
    },
  },
]
