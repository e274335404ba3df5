import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { findIdentityNumbers, maskWrittenIdentityNumber } from '@samservice/identity';

/** One identity number found in a captured log line. */
export interface LogLeak {
  file: string;
  /** 1-based. */
  line: number;
  /** The line's `service` field (`?` for a line that is not one of ours). */
  service: string;
  /** The number as written, masked for the report (`19121212-****`). */
  masked: string;
}

export interface LogScan {
  files: number;
  lines: number;
  bytes: number;
  leaks: LogLeak[];
}

function serviceOf(line: string): string {
  try {
    const service = (JSON.parse(line) as { service?: unknown }).service;
    return typeof service === 'string' ? service : '?';
  } catch {
    return '?';
  }
}

/**
 * Every valid identity number standing alone in the lines of one captured log (`text`, the
 * file's content): what no log line may hold. Pure: the caller reads the file.
 */
export function scanLogText(file: string, text: string): { lines: number; leaks: LogLeak[] } {
  const leaks: LogLeak[] = [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, index) => {
    for (const found of findIdentityNumbers(line)) {
      leaks.push({
        file,
        line: index + 1,
        service: serviceOf(line),
        masked: maskWrittenIdentityNumber(found.written),
      });
    }
  });
  return { lines: lines.length, leaks };
}

/** Every `.log` file of a run's log directory, scanned. */
export function scanLogDirectory(dir: string): LogScan {
  const scan: LogScan = { files: 0, lines: 0, bytes: 0, leaks: [] };
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.log'))
    .sort()) {
    const file = path.join(dir, name);
    scan.files++;
    scan.bytes += statSync(file).size;
    const result = scanLogText(name, readFileSync(file, 'utf8'));
    scan.lines += result.lines;
    scan.leaks.push(...result.leaks);
  }
  return scan;
}

const MAX_REPORTED = 20;

/** The report: one line when clean; on leaks, where each is (file:line, service), masked. */
export function formatLogScan(scan: LogScan, dir: string): string {
  const size = `${(scan.bytes / 1024 / 1024).toFixed(1)} MB`;
  const summary = `Log scan: ${scan.files} file(s), ${scan.lines} line(s) (${size}) every service logged during the run`;
  if (scan.leaks.length === 0) return `${summary}: no identity number.`;
  const listed = scan.leaks
    .slice(0, MAX_REPORTED)
    .map((leak) => `  ${path.join(dir, leak.file)}:${leak.line} (${leak.service}): ${leak.masked}`);
  const more =
    scan.leaks.length > MAX_REPORTED ? [`  … and ${scan.leaks.length - MAX_REPORTED} more`] : [];
  return [
    `${summary}: ${scan.leaks.length} identity number(s) in log lines. They must never be logged:`,
    ...listed,
    ...more,
    `The logs are kept in ${dir}.`,
  ].join('\n');
}
