/** Path segments at least this long, of letters, digits, `-` and `_`, are taken for API keys. */
const minTokenLength = 16;

/**
 * A URL safe to print: user name and password removed, query and fragment replaced by `?…`, and path
 * segments that look like API keys (e.g. `/v3/<key>`) replaced by `…`. A string that is not a URL is
 * reduced to its scheme, or to `<invalid url>`.
 *
 * @example
 * toRedactedUrl('https://user:pass@rpc.example/v3/0123456789abcdef0123?key=x') // 'https://rpc.example/v3/…?…'
 */
export function toRedactedUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '<invalid url>';
  }
  const path = parsed.pathname
    .split('/')
    .map((segment) => (segment.length >= minTokenLength && /^[\w-]+$/.test(segment) ? '…' : segment))
    .join('/');
  const query = parsed.search || parsed.hash ? '?…' : '';
  return `${parsed.protocol}//${parsed.host}${path}${query}`;
}
