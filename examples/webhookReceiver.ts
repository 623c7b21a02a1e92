import { pathToFileURL } from 'node:url';
import { createWebhookReceiver } from '../src/sinks/webhook/createWebhookReceiver.ts';

export { createWebhookReceiver };

/**
 * A receiver of consensus-guard webhooks that prints each accepted transition.
 * Run it: `WEBHOOK_SECRET=s3cret node --import tsx examples/webhookReceiver.ts` (port 8787, or
 * `PORT`), and point a sink at `http://127.0.0.1:8787/`.
 */
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const secret = process.env.WEBHOOK_SECRET;
  if (!secret) {
    process.stderr.write('set WEBHOOK_SECRET to the secret of the sink\n');
    process.exit(2);
  }
  const port = Number(process.env.PORT ?? 8787);
  const server = createWebhookReceiver({
    secret,
    onAccepted: (body, key) => process.stdout.write(`accepted ${key}: ${JSON.stringify(body)}\n`),
  });
  server.listen(port, '127.0.0.1', () => process.stdout.write(`listening on http://127.0.0.1:${port}/\n`));
}
