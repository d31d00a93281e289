// Team decisions written down as lint rules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'assets/**', '**/test-results/**', '.bench-out/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // The domain is pure: no I/O, no Node APIs, no DOM, no sockets, no database.
    files: ['packages/domain/src/**', 'packages/protocol/src/**', 'packages/imaging/src/**', 'packages/detection/src/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['node:*', 'fs', 'path', 'http', 'net', 'child_process'], message: 'pure packages do no I/O' },
        { group: ['socket.io*', 'better-sqlite3', 'react*', 'electron'], message: 'pure packages depend on no runtime' },
      ] }],
      'no-restricted-globals': ['error', 'window', 'document', 'localStorage', 'process'],
    },
  },
  {
    // SQL lives in packages/store alone.
    files: ['apps/**', 'device-adapters/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'better-sqlite3', message: 'all SQL lives in @clearway/store' }] }] },
  },
  {
    files: ['apps/console/src/renderer/**/*.tsx', 'apps/console/src/renderer/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    // CommonJS on purpose: ros2-web-bridge require()s its rclnodejs stand-in under plain node.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off', 'no-redeclare': ['error', { builtinGlobals: false }] },
  },
  {
    // Command-line tools and benchmarks print to stdout on purpose.
    files: ['apps/cli/**', 'bench/**', 'scripts/**', 'e2e/**', 'device-adapters/*/src/main.ts', 'apps/hub/src/main.ts'],
    rules: { 'no-console': 'off' },
  },
);
