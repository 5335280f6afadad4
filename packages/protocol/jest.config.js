const path = require('node:path');
const base = require('../../jest.preset.js')(__dirname);

module.exports = {
  ...base,
  // The tests use jose 6 (independent JWS cross-check) and canonicalize 4 (differential check); both ship ESM
  // only, so @swc/jest compiles them to CommonJS for the test runtime
  // (Node 20 jest cannot require(esm) natively). canonicalize exposes only an `import` condition.
  transformIgnorePatterns: ['/node_modules/(?!(jose|canonicalize)/)'],
  moduleNameMapper: {
    ...base.moduleNameMapper,
    '^canonicalize$': path.join(__dirname, '../../node_modules/canonicalize/lib/canonicalize.js'),
  },
};
