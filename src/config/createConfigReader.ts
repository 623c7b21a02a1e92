import { toRedactedUrl } from './toRedactedUrl.ts';

/** What a URL setting accepts. */
export type UrlRule = {
  /** Accepted schemes, with their colon: `['http:', 'https:']`. */
  protocols: readonly string[];
  /** The issue, after `path: `, of a URL of another scheme (`protocol` with its colon). */
  wrongProtocol: (protocol: string) => string;
  /**
   * The issue, after `path: `, of a URL with a user name or password (`text` as written, before
   * expansion); absent: credentials are allowed in the URL.
   */
  credentials?: (text: string) => string;
};

/**
 * The one check of the environment variables and URLs of a configuration. Every problem is pushed
 * to `issues` as `path: reason`; no value of a variable is ever part of an issue.
 */
export type ConfigReader = {
  /**
   * The value of environment variable `name`. Unset or empty (the two are the same everywhere):
   * the issue `path: environment variable NAME is not set` (and `hint` after it), and undefined.
   */
  env(name: string, path: string, hint?: string): string | undefined;
  /**
   * `text` with each `${NAME}` replaced by its variable (one unset or empty is an issue at `path`),
   * checked as an absolute URL under `rule`. The URL is not checked further once a variable is
   * missing: the issue names the variable.
   */
  url(text: string, path: string, rule: UrlRule): string;
};

/** A {@link ConfigReader} over `env` that pushes its issues to `issues`. */
export function createConfigReader(
  env: Readonly<Record<string, string | undefined>>,
  issues: string[],
): ConfigReader {
  const readEnv = (name: string, path: string, hint = ''): string | undefined => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    issues.push(`${path}: environment variable ${name} is not set${hint}`);
    return undefined;
  };
  return {
    env: readEnv,
    url(text, path, rule) {
      const before = issues.length;
      const url = text.replace(
        /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g,
        (_, name: string) => readEnv(name, path) ?? '',
      );
      if (issues.length > before) return url;
      const parsed = toParsedUrl(url);
      if (parsed === undefined) {
        issues.push(
          `${path}: ${rule.credentials && url.includes('@') ? rule.credentials(text) : toInvalidUrlMessage(text)}`,
        );
      } else if (!rule.protocols.includes(parsed.protocol)) {
        issues.push(`${path}: ${rule.wrongProtocol(parsed.protocol)}`);
      } else if (rule.credentials && (parsed.username || parsed.password)) {
        issues.push(`${path}: ${rule.credentials(text)}`);
      }
      return url;
    },
  };
}

/**
 * `url` parsed, when it starts with its scheme and `//`; undefined otherwise. Without `//` the URL
 * parser takes `user:password@host` for a scheme `user:` and a path, and an error naming that
 * scheme would print the user name.
 */
function toParsedUrl(url: string): URL | undefined {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(url)) return undefined;
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** Why `url` is refused when it does not parse, redacted; the likely cause when it holds an `@`. */
function toInvalidUrlMessage(url: string): string {
  const hint = url.includes('@')
    ? ': a / ? # or @ in a user name or password must be percent-encoded (%2F %3F %23 %40)'
    : '';
  return `not a valid URL (${toRedactedUrl(url)})${hint}`;
}
