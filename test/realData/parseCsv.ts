/**
 * Parses CSV text (RFC 4180: fields separated by commas, optionally in double quotes, `""` for a
 * quote inside quotes) into rows of fields. Line ends may be `\n` or `\r\n`; blank lines are
 * skipped. Throws on an unterminated quote.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRow = (): void => {
    row.push(field);
    field = '';
    if (row.length > 1 || row[0] !== '') rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += c;
      }
      i += 1;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') endRow();
    else if (c !== '\r') field += c;
    i += 1;
  }
  if (quoted) throw new Error('CSV: unterminated quoted field');
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

/** Rows of a CSV with a header line, as objects keyed by the header's names. */
export function parseCsvRecords(text: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows.map((fields, index) => {
    if (fields.length !== header.length) {
      throw new Error(`CSV: line ${index + 2} has ${fields.length} fields, the header ${header.length}`);
    }
    const record: Record<string, string> = {};
    header.forEach((name, column) => {
      record[name] = fields[column]!;
    });
    return record;
  });
}
