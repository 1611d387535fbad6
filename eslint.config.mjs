// Lint config for the extension and its tests (flat config, typescript-eslint with type information).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // e2e: only its helpers (lib/) are linted; its tests and fixtures drive a browser and are checked by running.
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'server/**', 'tests/Plexus.Host.Tests/**', 'tests/Plexus.Host.IntegrationTests/**', 'tests/fake-agents/**', 'e2e/node_modules/**', 'tests/agents/node_modules/**', 'e2e/tests/**', 'e2e/fixtures/**', 'bench/**', '.cache/**', '**/*.vsix'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['extension/**/*.ts', 'tests/extension/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      curly: 'error',
    },
  },
  {
    // node:test's describe/it return promises the runner itself awaits.
    files: ['tests/extension/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
  {
    files: ['**/*.mjs'],
    ignores: ['e2e/lib/**'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
      },
    },
  },
  {
    // The real-agent harness and truth table: plain Node scripts.
    files: ['tests/agents/**/*.mjs'],
    languageOptions: {
      globals: { setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly', URL: 'readonly' },
    },
  },
  {
    // The e2e helpers: plain ES modules with JSDoc types, linted with the types e2e/tsconfig.json checks.
    files: ['e2e/lib/**/*.mjs', 'e2e/lib/**/*.d.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      eqeqeq: ['error', 'always'],
      // tsc (checkJs) knows Node's and the browser's globals; page.evaluate callbacks run in the page.
      'no-undef': 'off',
      // Parameters without JSDoc are `any` here (noImplicitAny is off for e2e/lib): these would flag every use.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
);
