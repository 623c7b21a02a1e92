/** One server-sent event. */
export type ServerSentEvent = { event: string; data: string; id?: string };

/**
 * Parses a `text/event-stream` body (as bytes) into events, per the HTML standard: `event:`,
 * `data:` (joined by newlines), `id:`, comments (`:`) ignored, an empty line dispatches. A line
 * longer than `maxLineBytes` aborts the stream with a RangeError (a node must not make us buffer
 * without end).
 */
export async function* readServerSentEvents(
  body: AsyncIterable<Uint8Array>,
  maxLineBytes = 1 << 20,
): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline = buffer.search(/\r\n|\r|\n/);
    while (newline !== -1) {
      const line = buffer.slice(0, newline);
      const width = buffer.startsWith('\r\n', newline) ? 2 : 1;
      buffer = buffer.slice(newline + width);
      if (line === '') {
        if (data.length > 0) {
          const out: ServerSentEvent = { event: event || 'message', data: data.join('\n') };
          if (id !== undefined) out.id = id;
          yield out;
        }
        event = '';
        data = [];
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        let value = colon === -1 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
        else if (field === 'id') id = value;
      }
      newline = buffer.search(/\r\n|\r|\n/);
    }
    if (buffer.length > maxLineBytes)
      throw new RangeError(`event stream line longer than ${maxLineBytes} bytes`);
  }
}
