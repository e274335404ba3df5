/**
 * A browser's cookie jar, enough for these redirects: cookies per host, Max-Age=0 deletes,
 * and the Path attribute decides where a cookie is sent.
 */
export class CookieJar {
  private readonly cookies = new Map<string, Map<string, { value: string; path: string }>>();

  store(url: URL, response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';').map((part) => part.trim());
      const [name, ...rest] = (pair as string).split('=');
      const value = rest.join('=');
      const attribute = (key: string) =>
        attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
      const host = this.cookies.get(url.host) ?? new Map();
      this.cookies.set(url.host, host);
      if (attribute('max-age') === '0') host.delete(name as string);
      else host.set(name as string, { value, path: attribute('path') ?? '/' });
    }
  }

  header(url: URL): string {
    return [...(this.cookies.get(url.host) ?? new Map()).entries()]
      .filter(([, c]) => url.pathname.startsWith(c.path))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
  }

  get(url: URL, name: string): string | undefined {
    return this.cookies.get(url.host)?.get(name)?.value;
  }
}

export interface Step {
  url: URL;
  status: number;
  location?: URL;
  setCookies: string[];
  body: string;
}

/** One request as a browser sends it: its cookies, no redirect followed by fetch itself. */
export async function visit(
  jar: CookieJar,
  url: URL,
  init: { method?: string; form?: Record<string, string> } = {},
): Promise<Step> {
  const headers: Record<string, string> = { cookie: jar.header(url) };
  let body: string | undefined;
  if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  }
  const response = await fetch(url, {
    method: init.method ?? (init.form ? 'POST' : 'GET'),
    headers,
    body,
    redirect: 'manual',
  });
  jar.store(url, response);
  const location = response.headers.get('location');
  return {
    url,
    status: response.status,
    location: location ? new URL(location, url) : undefined,
    setCookies: response.headers.getSetCookie(),
    body: await response.text(),
  };
}

/** Follows redirects (GET after 302/303) until a page answers, recording each hop. */
export async function follow(
  jar: CookieJar,
  start: Step,
  until?: (url: URL) => boolean,
): Promise<Step[]> {
  const steps = [start];
  let step = start;
  while (step.location && step.status >= 300 && step.status < 400) {
    if (until?.(step.location)) break;
    step = await visit(jar, step.location);
    steps.push(step);
    if (steps.length > 15) throw new Error('too many redirects');
  }
  return steps;
}
