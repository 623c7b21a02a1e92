import { pathToFileURL } from 'node:url';
import { createWebhookReceiver } from '../src/sinks/webhook/createWebhookReceiver.ts';
import { toWebhookKey } from '../src/sinks/webhook/toWebhookKey.ts';

export { createWebhookReceiver };

/**
 * A receiver of consensus-guard webhooks (Standard Webhooks) that prints each accepted transition.
 * Run it: `WEBHOOK_SECRET=whsec_… node --import tsx examples/webhookReceiver.ts` (port 8787, or
 * `PORT`), with the sink's secret (`createWebhookSecret()`, or `echo "whsec_$(openssl rand -base64
 * 32)"`), and point a sink at `http://127.0.0.1:8787/`.
 */
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const secret = process.env.WEBHOOK_SECRET;
  if (!secret) {
    process.stderr.write('set WEBHOOK_SECRET to the secret of the sink (whsec_…)\n');
    process.exit(2);
  }
  try {
    toWebhookKey(secret);
  } catch (error) {
    process.stderr.write(`WEBHOOK_SECRET: ${(error as Error).message}\n`);
    process.exit(2);
  }
  const port = Number(process.env.PORT ?? 8787);
  const server = createWebhookReceiver({
    secret,
    onAccepted: (body, key) => process.stdout.write(`accepted ${key}: ${JSON.stringify(body)}\n`),
  });
  server.listen(port, '127.0.0.1', () => process.stdout.write(`listening on http://127.0.0.1:${port}/\n`));
}
