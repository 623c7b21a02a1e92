import type pg from 'pg';

/**
 * The connection fields of a postgres:// URL. The password is the URL's, else `PGPASSWORD`, else
 * empty: a server that asks for one then refuses the login cleanly (without any, `pg` fails before
 * answering and leaves the connection open until the server's authentication timeout). A URL with
 * query parameters (`sslmode`, ...) is passed to `pg` as it is.
 */
export function toPostgresConnectionConfig(url: string): pg.ClientConfig {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { connectionString: url };
  }
  if (parsed.search !== '') return { connectionString: url };
  const config: pg.ClientConfig = {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1') || process.env.PGHOST || 'localhost',
    port: Number(parsed.port || process.env.PGPORT || 5432),
  };
  const password = decodeURIComponent(parsed.password) || process.env.PGPASSWORD || '';
  // A function: `pg` would replace an empty string with undefined.
  config.password = () => password;
  const user = decodeURIComponent(parsed.username) || process.env.PGUSER;
  if (user) config.user = user;
  const database = decodeURIComponent(parsed.pathname.slice(1)) || process.env.PGDATABASE;
  if (database) config.database = database;
  return config;
}

/** `host:port` of a postgres:// URL, with the defaults `pg` applies (PGHOST, PGPORT, localhost, 5432). */
export function toPostgresHostPort(url: string): string {
  try {
    const parsed = new URL(url);
    const host = parsed.hostname || process.env.PGHOST || 'localhost';
    const port = parsed.port || process.env.PGPORT || '5432';
    return `${host}:${port}`;
  } catch {
    return 'the host in the URL';
  }
}
