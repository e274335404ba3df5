// The web's own checks that need no browser (the browser suites are in apps/e2e).
module.exports = require('../../jest.preset.js')(__dirname, {
  testMatch: ['<rootDir>/tests/**/*.spec.ts'],
});
