/**
 * The Chromium that opens the web in the browser tests and in bench:web: the one
 * @sparticuz/chromium ships inside its npm package (unpacked once into the temporary
 * directory: no download, no apt), or another named in SAMSERVICE_CHROMIUM (e.g. Debian's
 * `chromium`), with SAMSERVICE_CHROMIUM_ARGS as a JSON array of flags.
 */
export interface ChromiumLaunch {
  executablePath: string;
  args: string[];
}

/** The package's flags are for AWS Lambda; these would make the browser unlike a person's
 * (no web security) or fragile (one process: closing a context ends the browser). */
const LAMBDA_ONLY = [
  '--single-process',
  '--disable-web-security',
  '--allow-running-insecure-content',
  '--disable-site-isolation-trials',
];

/** Unpacks the packaged Chromium if SAMSERVICE_CHROMIUM is not set, and sets both variables. */
export async function provideChromium(): Promise<void> {
  if (process.env.SAMSERVICE_CHROMIUM) return;
  const chromium = (await import('@sparticuz/chromium')).default;
  process.env.SAMSERVICE_CHROMIUM = await chromium.executablePath();
  process.env.SAMSERVICE_CHROMIUM_ARGS = JSON.stringify(chromium.args);
}

/** What to launch, from the variables provideChromium set (or the caller did). */
export function chromiumLaunch(): ChromiumLaunch {
  const executablePath = process.env.SAMSERVICE_CHROMIUM;
  if (!executablePath) throw new Error('SAMSERVICE_CHROMIUM is not set (provideChromium sets it)');
  const args = (JSON.parse(process.env.SAMSERVICE_CHROMIUM_ARGS ?? '[]') as string[]).filter(
    (arg) => !LAMBDA_ONLY.some((flag) => arg.startsWith(flag)),
  );
  return { executablePath, args };
}
