/** Path segments at least this long, of letters, digits, `-` and `_`, are taken for API keys. */
const minTokenLength = 16;

export type ToRedactedUrlOptions = {
  /**
   * Print the scheme and the host only, without path or query: for URLs whose path is itself a
   * secret (webhooks, as Slack's `/services/T…/B…/<token>`). Default false.
   */
  originOnly?: boolean;
};

/**
 * A URL safe to print, the one redactor of every URL that reaches a message or a log. User name and
 * password become `***@`, the query string and fragment `?***`, path segments that look like API
 * keys (16 or more letters, digits, `-` and `_`, as in `/v3/<key>`) `***`; `${NAME}` placeholders
 * are kept, and a lone `/` path is dropped.
 *
 * It works on the text, not on a parsed URL, so that a string that is not a valid URL is redacted
 * as well as one that is: everything from `://` (or the start, without a scheme) to the last `@` is
 * taken for credentials, whatever `/`, `?` or `#` it holds (`ws://admin:pa/ss@host` is not a valid
 * URL; `http://admin:1234/5678@host` is one, with `5678@host` as its path). A path or query holding
 * an `@` is therefore hidden up to it: over-redaction, never a leak.
 *
 * @example
 * toRedactedUrl('https://user:pass@rpc.example/v3/0123456789abcdef0123?key=x') // 'https://***@rpc.example/v3/***?***'
 * toRedactedUrl('ws://admin:Sup3r/Secret@127.0.0.1:8545') // 'ws://***@127.0.0.1:8545'
 * toRedactedUrl('https://hooks.example/services/T1/B2/token', { originOnly: true }) // 'https://hooks.example'
 */
export function toRedactedUrl(url: string, options: ToRedactedUrlOptions = {}): string {
  // Control characters would break a one-line message; the URL parser drops them as well.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: they are what is removed
  const text = url.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  const scheme = /^(?:[A-Za-z][A-Za-z0-9+.-]*|\$\{\w+\}):\/\//.exec(text)?.[0] ?? '';
  const afterScheme = text.slice(scheme.length);
  const at = afterScheme.lastIndexOf('@');
  const auth = at >= 0 ? '***@' : '';
  const rest = afterScheme.slice(at + 1);
  const hostEnd = rest.search(/[/\\?#]/);
  const host = hostEnd < 0 ? rest : rest.slice(0, hostEnd);
  if (options.originOnly) return `${scheme}${auth}${host}`;
  const afterHost = hostEnd < 0 ? '' : rest.slice(hostEnd);
  const queryStart = afterHost.search(/[?#]/);
  const rawPath = queryStart < 0 ? afterHost : afterHost.slice(0, queryStart);
  const query = queryStart < 0 ? '' : '?***';
  const path =
    rawPath === '/'
      ? ''
      : rawPath
          .split(/([/\\])/)
          .map((segment) => (segment.length >= minTokenLength && /^[\w-]+$/.test(segment) ? '***' : segment))
          .join('');
  return `${scheme}${auth}${host}${path}${query}`;
}
