import type { z } from 'zod';
import type { nodeSchema } from './configSchema.ts';
import type { ConfigReader } from './createConfigReader.ts';
import type { NodeConfig } from './guardConfig.ts';
import { toRedactedUrl } from './toRedactedUrl.ts';

/** A node of `chains.<name>.nodes` into its {@link NodeConfig}; each problem is an issue under `path`. */
export function toNodeConfig(
  node: z.infer<typeof nodeSchema>,
  path: string,
  read: ConfigReader,
  issues: string[],
): NodeConfig {
  const allowed = node.kind === 'evm' ? ['http:', 'https:', 'ws:', 'wss:'] : ['http:', 'https:'];
  const url = read.url(node.url, `${path}.url`, {
    protocols: allowed,
    wrongProtocol: (protocol) =>
      `${node.kind} nodes take ${allowed.map((p) => `${p}//`).join(' or ')} URLs, got ${protocol}//`,
  });
  // From the text before expansion: variables show as `${NAME}`, never as their values.
  const displayUrl = toRedactedUrl(node.url);
  const out: NodeConfig = { name: node.name, kind: node.kind, url, displayUrl, weight: node.weight };
  if (node.pollIntervalMs !== undefined) out.pollIntervalMs = node.pollIntervalMs;
  if (node.requestTimeoutMs !== undefined) out.requestTimeoutMs = node.requestTimeoutMs;
  if (node.trustedCheckpointRoot !== undefined) {
    if (node.kind === 'beacon') out.trustedCheckpointRoot = node.trustedCheckpointRoot.toLowerCase();
    else issues.push(`${path}.trustedCheckpointRoot: only beacon nodes take a trusted checkpoint root`);
  }
  const username =
    node.usernameEnv === undefined ? undefined : read.env(node.usernameEnv, `${path}.usernameEnv`);
  const password =
    node.passwordEnv === undefined ? undefined : read.env(node.passwordEnv, `${path}.passwordEnv`);
  if (username !== undefined) out.username = username;
  if (password !== undefined) out.password = password;
  if (node.headersEnv) {
    const headers: Record<string, string> = {};
    for (const [header, name] of Object.entries(node.headersEnv)) {
      const value = read.env(name, `${path}.headersEnv.${header}`);
      if (value !== undefined) headers[header] = value;
    }
    out.headers = headers;
  }
  return out;
}
