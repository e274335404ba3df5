import nx from '@nx/eslint-plugin';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: [
      '**/node_modules',
      '**/dist',
      '**/.data',
      '**/coverage',
      '.nx',
      'tmp',
      'apps/web/src/gql',
    ],
  },
  {
    files: ['**/*.ts'],
    rules: {
      // Who may import whom (docs/architecture.md). Apps are thin; features own a
      // service's code; pure domain libraries import nothing of Nest, TypeORM, Apollo or I/O.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          banTransitiveDependencies: true,
          depConstraints: [
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain'],
              bannedExternalImports: [
                '@nestjs/*',
                'typeorm',
                '@apollo/*',
                'graphql',
                'pg',
                'express',
                'nestjs-pino',
                'pino',
                'node:fs',
                'fs',
                'node:http',
                'http',
                'node:net',
                'net',
              ],
            },
            {
              sourceTag: 'type:platform',
              onlyDependOnLibsWithTags: ['type:platform', 'type:domain'],
            },
            {
              sourceTag: 'type:feature',
              onlyDependOnLibsWithTags: ['type:platform', 'type:domain'],
            },
            {
              sourceTag: 'type:composition',
              onlyDependOnLibsWithTags: ['type:feature', 'type:platform', 'type:domain'],
            },
            {
              sourceTag: 'type:testing',
              onlyDependOnLibsWithTags: ['type:composition', 'type:platform', 'type:domain'],
            },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: [
                'type:composition',
                'type:feature',
                'type:platform',
                'type:domain',
              ],
            },
            {
              // The web talks to the gateway over HTTP and WebSocket only, never by import.
              sourceTag: 'type:web',
              onlyDependOnLibsWithTags: [],
            },
            {
              sourceTag: 'type:e2e',
              onlyDependOnLibsWithTags: [
                'type:testing',
                'type:composition',
                'type:feature',
                'type:platform',
                'type:domain',
              ],
            },
            {
              sourceTag: 'scope:directory',
              onlyDependOnLibsWithTags: ['scope:directory', 'scope:shared'],
            },
            {
              sourceTag: 'scope:scheduling',
              onlyDependOnLibsWithTags: ['scope:scheduling', 'scope:shared'],
            },
            {
              sourceTag: 'scope:gateway',
              onlyDependOnLibsWithTags: ['scope:gateway', 'scope:shared'],
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'it', property: 'only', message: 'Focused tests must not be committed.' },
        { object: 'describe', property: 'only', message: 'Focused tests must not be committed.' },
        { object: 'test', property: 'only', message: 'Focused tests must not be committed.' },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
