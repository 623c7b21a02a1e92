import type { z } from 'zod';
import { toWebhookKey } from '../sinks/webhook/toWebhookKey.ts';
import type { webhookSinkSchema } from './configSchema.ts';
import type { ConfigReader } from './createConfigReader.ts';
import type { WebhookSinkConfig } from './guardConfig.ts';
import { toRedactedUrl } from './toRedactedUrl.ts';

/** A webhook of `sinks` into its {@link WebhookSinkConfig}; each problem is an issue under `path`. */
export function toWebhookSinkConfig(
  sink: z.infer<typeof webhookSinkSchema>,
  path: string,
  read: ConfigReader,
  issues: string[],
): WebhookSinkConfig {
  const url = read.url(sink.url, `${path}.url`, {
    protocols: ['http:', 'https:'],
    wrongProtocol: (protocol) => `webhooks take http:// or https:// URLs, got ${protocol}//`,
    credentials: webhookCredentialsIssue,
  });
  // The origin only: a webhook's path is often a secret itself (Slack's is).
  const displayUrl = toRedactedUrl(url, { originOnly: true });
  const out: WebhookSinkConfig = { name: sink.name, kind: 'webhook', url, displayUrl, shape: sink.shape };
  if (sink.timeoutMs !== undefined) out.timeoutMs = sink.timeoutMs;
  if (sink.secretEnv !== undefined) {
    const secret = read.env(sink.secretEnv, `${path}.secretEnv`);
    if (secret !== undefined) {
      try {
        toWebhookKey(secret);
        out.secret = secret;
      } catch (error) {
        issues.push(`${path}.secretEnv: environment variable ${sink.secretEnv}: ${(error as Error).message}`);
      }
    }
  } else if (sink.shape === 'generic') {
    issues.push(
      `${path}.secretEnv: a generic webhook is signed: name the environment variable of its secret`,
    );
  }
  if (sink.routingKeyEnv !== undefined) {
    const key = read.env(sink.routingKeyEnv, `${path}.routingKeyEnv`);
    if (key !== undefined) out.routingKey = key;
  } else if (sink.shape === 'pagerduty') {
    issues.push(
      `${path}.routingKeyEnv: a pagerduty webhook needs the environment variable of its routing key`,
    );
  }
  return out;
}

/**
 * fetch refuses a URL with a user name or password, so such a webhook would never deliver: the
 * secret goes in `secretEnv` (the signature) or, as a token, in the path from a variable.
 */
function webhookCredentialsIssue(url: string): string {
  return `a user name or password in a webhook URL is refused, nothing would be delivered (${toRedactedUrl(url, { originOnly: true })}): sign with secretEnv, or keep a token in the path from an environment variable (\${NAME})`;
}
