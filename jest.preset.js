// Shared jest settings: @swc/jest (CommonJS) and workspace aliases that point at sources, so tests
// never depend on a prior build.
const path = require('node:path');
const root = __dirname;

module.exports = (dir, extra = {}) => ({
  rootDir: dir,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // jose is ESM-only: let swc turn it into CommonJS for jest's module loader.
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      require.resolve('@swc/jest'),
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper: {
    '^@talos/kit$': path.join(root, 'packages/kit/src/index.ts'),
    '^@talos/protocol$': path.join(root, 'packages/protocol/src/index.ts'),
    '^@talos/sdk$': path.join(root, 'packages/sdk/src/index.ts'),
    '^@talos/gateway$': path.join(root, 'gateway/src/index.ts'),
    '^@talos/cli$': path.join(root, 'packages/cli/src/index.ts'),
    '^@talos/subgraph-(.*)$': path.join(root, 'subgraphs/$1/src/index.ts'),
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  ...extra,
});
