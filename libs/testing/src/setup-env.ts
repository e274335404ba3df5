// Every test process: pinned zone for luxon and Date, and where the logs go.
process.env.TZ = 'UTC';
process.env.LOG_FORMAT ??= 'json';
if (process.env.SAMSERVICE_TEST_LOG_DIR) {
  // `npm test` captures every line of every service (per-request lines included) to this
  // run's log directory (capture-logs.ts names each suite's file), and the global teardown
  // scans them for identity numbers. Warnings and errors still reach the console.
  process.env.LOG_LEVEL ??= 'info';
  process.env.LOG_CONSOLE_LEVEL ??= 'warn';
} else {
  process.env.LOG_LEVEL ??= 'warn';
}
