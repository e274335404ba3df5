import * as path from 'node:path';

// After the test framework is installed (the suite's path is known): each suite's services,
// in this process and in the child processes they start, append their lines to a file of
// the suite's own in the run's log directory (global-setup.ts). A suite that sets LOG_FILE
// itself keeps it.
const dir = process.env.SAMSERVICE_TEST_LOG_DIR;
const testPath = expect.getState().testPath;
if (dir && testPath && !process.env.LOG_FILE) {
  const root = path.resolve(__dirname, '../../..');
  const suite = path.relative(root, testPath).replace(/[\\/]/g, '__');
  process.env.LOG_FILE = path.join(dir, `${suite}.log`);
}
