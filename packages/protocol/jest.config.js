const path = require('node:path');
const base = require('../../jest.preset.js')(__dirname);

module.exports = {
  ...base,
  // jose 6 and canonicalize 4 ship ESM only; let @swc/jest compile them to CommonJS for the test runtime
  // (Node 20 jest cannot require(esm) natively). canonicalize exposes only an `import` condition.
  transformIgnorePatterns: ['/node_modules/(?!(jose|canonicalize)/)'],
  moduleNameMapper: {
    ...base.moduleNameMapper,
    '^canonicalize$': path.join(__dirname, '../../node_modules/canonicalize/lib/canonicalize.js'),
  },
};
