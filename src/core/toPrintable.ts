/**
 * Characters that must not reach a terminal or a log line raw: C0 controls (line breaks, tab,
 * ESC), DEL, C1 controls (CSI, NEL), the Unicode line and paragraph separators, and the
 * bidirectional embeddings, overrides and isolates that reorder what a reader sees.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text from outside (an override's actor and reason, a node's error message, a client version, a
 * node name from the data) made safe to write to a terminal or a log line: each character of
 * {@link UNPRINTABLE} becomes a visible escape, `\n`, `\r` and `\t` or else `\u` and four
 * lower-case hex digits (`\u001b` for ESC, `\u2028`); everything else is kept, backslashes
 * included. The escapes are JSON's, so a JSON text stays valid JSON with the same value.
 * Escape at the point of printing; stored data keeps the original text.
 *
 * @example
 * toPrintable('ok\r\naudit: forged \x1b[31m') // 'ok\\r\\naudit: forged \\u001b[31m'
 */
export function toPrintable(text: string): string {
  return text.replace(
    UNPRINTABLE,
    (char) => SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
