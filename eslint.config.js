// Lint as errors, not warnings: the rules below catch what review misses (floating promises,
// non-exhaustive switches, `any` leaking into request handling).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import guddu from './eslint/module-boundaries.js';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'data/**', '**/*.d.ts', 'bench/**/*.mjs', 'server/test/fixtures/*.mjs', 'web/.next/**', 'web/out/**', 'web/next-env.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/only-throw-error': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-extraneous-class': 'off',
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    // Modules talk through what they export, never through each other's internals (decision 0010).
    files: ['server/src/**/*.ts'],
    plugins: { guddu },
    rules: { 'guddu/module-boundaries': 'error' },
  },
  {
    files: ['eslint.config.js', 'eslint/*.js', 'server/build.mjs', 'web/*.mjs', 'web/scripts/**/*.mjs', 'web/e2e/**/*.mjs', 'web/public/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The console's service worker runs in the browser's worker scope.
    files: ['web/public/*.js'],
    languageOptions: { globals: { self: 'readonly', URL: 'readonly' } },
  },
  {
    // The console's build and browser-test scripts run on Node.
    files: ['web/*.mjs', 'web/scripts/**/*.mjs', 'web/e2e/**/*.mjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', window: 'readonly', document: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', fetch: 'readonly' },
    },
  },
);
