/** A human-readable progress line on stdout (the figures' JSON line always comes last). */
export function progress(line: string): void {
  process.stdout.write(`${line}\n`);
}
