import { rmSync } from 'node:fs';
import type { ScratchDatabase } from '@samservice/platform/database';

export default async function globalTeardown(): Promise<void> {
  const scratch = (globalThis as { __samserviceScratch__?: ScratchDatabase }).__samserviceScratch__;
  await scratch?.drop();
  if (process.env.DATA_DIR?.includes('samservice-test-data-'))
    rmSync(process.env.DATA_DIR, { recursive: true, force: true });
}
