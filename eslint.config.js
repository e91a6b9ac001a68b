import oclif from 'eslint-config-oclif'
import prettier from 'eslint-config-prettier'

export default [
  {ignores: ['dist/', 'node_modules/', 'oclif.manifest.json']},
  ...oclif,
  prettier,
  {
    rules: {
      // Commands and the simulator print to the terminal on purpose.
      'no-console': 'off',
      // Our error classes carry exit codes; unicorn's naming rule fights oclif's conventions.
      'unicorn/prevent-abbreviations': 'off',
      // Pure functions are exported one by one and imported by name in tests.
      'import/no-unused-modules': 'off',
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-await-in-loop': 'off',
      'unicorn/no-process-exit': 'off',
      'n/no-process-exit': 'off',
    },
  },
]
