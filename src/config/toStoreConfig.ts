import type { ConfigReader } from './createConfigReader.ts';
import type { StoreConfig } from './guardConfig.ts';
import { toRedactedUrl } from './toRedactedUrl.ts';

/** `store:` of a config file into its {@link StoreConfig}; each problem is an issue under `store`. */
export function toStoreConfig(
  section: { kind?: StoreConfig['kind']; dataDir?: string | undefined; urlEnv?: string | undefined },
  read: ConfigReader,
  issues: string[],
): StoreConfig {
  const store: StoreConfig = {};
  if (section.kind !== undefined) store.kind = section.kind;
  if (section.dataDir !== undefined) store.dataDir = section.dataDir;
  const kind = section.kind ?? 'sqlite';
  if (kind !== 'sqlite' && section.dataDir !== undefined) {
    issues.push(`store.dataDir: only for kind sqlite (this store is ${kind})`);
  }
  if (kind !== 'postgres') {
    if (section.urlEnv !== undefined) {
      issues.push(`store.urlEnv: only for kind postgres: add "kind: postgres", or remove urlEnv`);
    }
    return store;
  }
  if (section.urlEnv === undefined) {
    issues.push(
      'store.urlEnv: kind postgres needs urlEnv, the environment variable that holds the postgres:// URL',
    );
    return store;
  }
  store.urlEnv = section.urlEnv;
  const url = read.env(section.urlEnv, 'store.urlEnv');
  if (url === undefined) return store;
  if (!/^postgres(?:ql)?:\/\//.test(url)) {
    issues.push(`store.urlEnv: environment variable ${section.urlEnv} does not hold a postgres:// URL`);
  } else {
    store.url = url;
    store.displayUrl = toRedactedUrl(url);
  }
  return store;
}
