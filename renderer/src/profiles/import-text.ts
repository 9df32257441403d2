/**
 * Prepares a picked file's text for `profile:import`. MQTTX's "Export data" writes every
 * connection's whole message history (`messages`) and its runtime `client` next to the
 * settings, so real exports exceed the import cap although the settings are tiny. Those
 * fields are dropped here, before the text crosses to the core. Pure, tested in Node.
 */
import { utf8ByteLength } from '../../../shared/inspect/payload-format';
import { MAX_IMPORT_BYTES } from '../../../shared/profiles/connection-profile';
import { isObject } from '../../../shared/profiles/import-candidate';
import { isMqttxExport } from '../../../shared/profiles/mqttx-import';

/** Fields of an MQTTX connection record that are not settings and can be huge. */
const MQTTX_RUNTIME_FIELDS = ['messages', 'client'] as const;

/** Larger files are not read at all: even without histories they could not be a profile list. */
export const MAX_READ_BYTES = 256 * 1024 * 1024;

export type PreparedImport =
  | { ok: true; text: string; format: 'mqttx' | 'other'; /** MQTTX connections whose message history was left out. */ historiesDropped: number }
  | { ok: false; message: string };

function mib(size: number): string {
  return `${(size / 1024 / 1024).toFixed(1)} MiB`;
}

const LIMIT = `${MAX_IMPORT_BYTES / 1024 / 1024} MiB`;

/** Says why a file of `bytes` is not even read, or null to read it. */
export function fileSizeProblem(bytes: number): string | null {
  if (bytes <= MAX_READ_BYTES) return null;
  return `This file is ${mib(bytes)}: too large to be a connection export. Choose a Topicscope or MQTTX (Export data → JSON) export; in MQTTX, clearing the connections' message history makes it smaller.`;
}

/** Drops the runtime fields of each MQTTX record, descending into collections (folders). */
function stripEntries(entries: unknown[], dropped: { histories: number }): unknown[] {
  return entries.map((entry) => {
    if (!isObject(entry)) return entry;
    if (entry['isCollection'] === true && Array.isArray(entry['children'])) {
      return { ...entry, children: stripEntries(entry['children'], dropped) };
    }
    if (Array.isArray(entry['messages']) && entry['messages'].length > 0) dropped.histories += 1;
    const kept = { ...entry };
    for (const field of MQTTX_RUNTIME_FIELDS) delete kept[field];
    return kept;
  });
}

/**
 * The text to send: an MQTTX export (an array of connection records, or one record)
 * re-serialized without histories; anything else unchanged, so the core names what is
 * wrong with it. Refuses, with what to do, a text still above the import cap.
 */
export function prepareImportText(text: string): PreparedImport {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return withinCap({ ok: true, text, format: 'other', historiesDropped: 0 });
  }
  if (!isMqttxExport(raw)) return withinCap({ ok: true, text, format: 'other', historiesDropped: 0 });
  const dropped = { histories: 0 };
  const slim = Array.isArray(raw) ? stripEntries(raw, dropped) : stripEntries([raw], dropped)[0];
  return withinCap({ ok: true, text: JSON.stringify(slim), format: 'mqttx', historiesDropped: dropped.histories });
}

/** The contract caps the text's UTF-8 bytes, so that is what is measured. */
function withinCap(prepared: PreparedImport & { ok: true }): PreparedImport {
  const size = utf8ByteLength(prepared.text);
  if (size <= MAX_IMPORT_BYTES) return prepared;
  if (prepared.format === 'mqttx') {
    return {
      ok: false,
      message: `This MQTTX export is ${mib(size)} even without its message histories; Topicscope imports up to ${LIMIT}. Export fewer connections at a time from MQTTX and import each file.`,
    };
  }
  return {
    ok: false,
    message: `This file is ${mib(size)}; Topicscope imports connection exports of up to ${LIMIT}, and a list of brokers is far smaller. Choose a Topicscope export or an MQTTX "Export data" JSON file.`,
  };
}
