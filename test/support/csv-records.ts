/**
 * An RFC 4180 reader for tests: records and fields as a spreadsheet would read them
 * (quoted fields may hold commas, doubled quotes and line breaks; records end in CRLF).
 * Written independently of the exporter so a quoting mistake there shows up here.
 */
export function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else if (c === '"' || c === '\r' || c === '\n') {
      throw new Error(`not RFC 4180 at character ${i}: ${JSON.stringify(text.slice(Math.max(0, i - 20), i + 20))}`);
    } else field += c;
    i++;
  }
  if (quoted) throw new Error('a quoted field is not closed');
  if (field !== '' || record.length > 0) throw new Error('the last record does not end in CRLF');
  return records;
}

/** The records as objects by the header's column names (the first record). */
export function csvObjects(text: string): { columns: string[]; rows: Record<string, string>[] } {
  const [columns = [], ...records] = csvRecords(text);
  for (const [n, record] of records.entries()) {
    if (record.length !== columns.length) throw new Error(`record ${n + 1} has ${record.length} fields, the header ${columns.length}`);
  }
  return { columns, rows: records.map((record) => Object.fromEntries(columns.map((name, i) => [name, record[i] ?? '']))) };
}
