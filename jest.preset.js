// Shared jest settings of every project: @swc/jest (fast, keeps decorator metadata),
// tsconfig path aliases resolved at transform time, node environment.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    baseUrl: __dirname,
    paths: compilerOptions.paths,
    keepClassNames: true,
  },
  // import() stays a native dynamic import (ESM-only packages load natively).
  module: { type: 'commonjs', ignoreDynamic: true },
  sourceMaps: 'inline',
};

module.exports = function projectConfig(projectDir, overrides = {}) {
  const name = path
    .relative(__dirname, projectDir)
    .replace(/^(apps|libs)\//, '')
    .replace(/\//g, '-');
  return {
    displayName: name,
    rootDir: projectDir,
    testEnvironment: 'node',
    transform: { '^.+\\.(t|j)s$': ['@swc/jest', swcOptions] },
    // jose, openid-client and oauth4webapi are ESM-only: transform them to CommonJS for the test runtime.
    transformIgnorePatterns: ['/node_modules/(?!(jose|openid-client|oauth4webapi)/)'],
    testMatch: ['<rootDir>/src/**/*.spec.ts'],
    setupFiles: [path.join(__dirname, 'libs/testing/src/setup-env.ts')],
    setupFilesAfterEnv: [path.join(__dirname, 'libs/testing/src/capture-logs.ts')],
    ...overrides,
  };
};
module.exports.swcOptions = swcOptions;
