import { rmSync } from 'node:fs';
import type { ScratchDatabase } from '@samservice/platform/database';
import { formatLogScan, scanLogDirectory } from './lib/log-scan';

/**
 * After every suite: the run's database goes, then every log line any service wrote during
 * the run is scanned for identity numbers. One found fails the run (a global teardown that
 * throws makes jest exit with 1), and the report says where, the number masked.
 */
export default async function globalTeardown(): Promise<void> {
  const scratch = (globalThis as { __samserviceScratch__?: ScratchDatabase }).__samserviceScratch__;
  await scratch?.drop();
  if (process.env.DATA_DIR?.includes('samservice-test-data-'))
    rmSync(process.env.DATA_DIR, { recursive: true, force: true });

  const logDir = process.env.SAMSERVICE_TEST_LOG_DIR;
  if (!logDir?.includes('samservice-test-logs-')) return;
  const scan = scanLogDirectory(logDir);
  const report = formatLogScan(scan, logDir);
  if (scan.leaks.length > 0) {
    const error = new Error(report);
    // One report, not a stack trace: jest prints an error's stack as it is.
    error.stack = report;
    throw error;
  }
  const keep = process.env.KEEP_TEST_LOGS === '1';
  process.stdout.write(`${report}${keep ? ` Kept in ${logDir}.` : ''}\n`);
  if (!keep) rmSync(logDir, { recursive: true, force: true });
}
