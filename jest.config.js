// `npm test`: every project's tests in one run, against one real PostgreSQL database made
// fresh for this run (embedded, or created on the server in DATABASE_URL and dropped after).
const fs = require('node:fs');
const path = require('node:path');

function findProjectConfigs(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findProjectConfigs(full));
    else if (entry.name === 'jest.config.js' && dir !== __dirname) found.push(full);
  }
  return found;
}

module.exports = {
  projects: ['apps', 'libs'].flatMap((top) => findProjectConfigs(path.join(__dirname, top))),
  globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
  // Generous: several e2e suites start whole systems (and real processes) on 2 cores.
  testTimeout: 60_000,
};
