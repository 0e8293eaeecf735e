// Lint: typescript-eslint's recommended rules plus Lathe's layer rule (tools/eslint-layers.js).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layersRule } from './tools/eslint-layers.js';

export default tseslint.config(
  { ignores: ['dist/**', 'web/dist/**', 'node_modules/**', 'data/**', '.tmp/**', '.bench-build/**', 'coverage/**', 'src/**/assembly/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { lathe: { rules: { layers: layersRule } } },
    rules: {
      'lathe/layers': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'warn',
    },
  },
  {
    files: ['bin/**/*.js', 'tools/**/*.js', 'bench/**/*.mjs', 'eslint.config.js'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', performance: 'readonly' } },
  },
);
