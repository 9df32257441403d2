/** What reading an import file produces, whichever app wrote the file. */
import type { z } from 'zod';
import type { ConnectionConfig } from '../connection/connection-config';
import type { SecretKind } from './connection-profile';
import type { DecodeRule, ProtoFile } from '../inspect/decode/decode-rules';
import type { SavedMessage } from '../publish/saved-messages';

/** The TLS files an import may carry as PEM text instead of a path. */
export type PemKind = 'ca' | 'cert' | 'key';

/** A profile an import would create, validated but not yet saved. */
export interface ImportCandidate {
  name: string;
  /** Without secrets; a TLS path whose kind is in `pem` is a placeholder until the core writes the file. */
  config: ConnectionConfig;
  randomClientId: boolean;
  secrets: Partial<Record<SecretKind, string>>;
  /** TLS material given as PEM text (MQTTX can export file contents): the core writes it to files. */
  pem: Partial<Record<PemKind, string>>;
  /** "Decode as" rules and the `.proto` files they read (Topicscope files only; MQTTX has none). */
  decodeRules?: DecodeRule[];
  protoFiles?: ProtoFile[];
  /** Saved publish messages (Topicscope files only). */
  savedMessages?: SavedMessage[];
}

/** An entry of the file that could not be imported, and why, for the user. */
export interface SkippedEntry {
  name: string;
  reason: string;
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Readable schema problems, one per issue, naming the field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join(' ');
}
