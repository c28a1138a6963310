// Lint rules for calico-migrate. The import restrictions enforce the data-flow layering:
// model <- (datastores, archive) <- (export, import) <- cli. See README "Layout".
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layer = (from, forbidden) => ({
  files: [`src/${from}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: forbidden.map((dir) => ({
          group: [`**/${dir}/**`, `../${dir}/*`, `../../${dir}/*`],
          message: `src/${from} must not import src/${dir} (see README, Layout).`,
        })),
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  layer('model', ['datastores', 'archive', 'export', 'import', 'cli', 'migrate', 'report']),
  layer('archive', ['datastores', 'export', 'import', 'cli', 'migrate']),
  layer('datastores', ['archive', 'export', 'import', 'cli', 'migrate']),
  layer('export', ['import', 'cli', 'migrate', 'datastores/etcd', 'datastores/kdd']),
  layer('import', ['export', 'cli', 'migrate', 'datastores/etcd', 'datastores/kdd']),
  layer('migrate', ['cli', 'datastores/etcd', 'datastores/kdd']),
);
