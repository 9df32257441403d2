/**
 * Decoded payloads for the views that show them (the value viewer, the history, charted
 * series), decoded lazily: only what a view asks for, never the traffic as a whole.
 *
 * The decoders the renderer's CSP allows (auto, JSON, text, raw, base64) run here, at
 * once; the others (Sparkplug B, Protobuf, CBOR, MessagePack, gzip, deflate) run in the
 * core through `payload:decode`. Requests made in the same task are sent together, up to
 * the contract's 1,000 payloads and 32 MiB a call, so a history of 500 Sparkplug messages
 * costs one round trip. Messages are immutable, so each result is kept per payload object
 * and decoder (a WeakMap on the Uint8Array: it goes when the message goes).
 *
 * `result()` reads reactive state, so a view that called it before the answer came is
 * rendered again when it does. It only queues work (plain fields, no state), so it may be
 * called from `$derived` and templates.
 */
import type { TopicscopeApi } from '../../../shared/ipc/ipc-contract';
import { MAX_DECODE_BATCH_BYTES, MAX_DECODE_PAYLOADS } from '../../../shared/ipc/ipc-contract';
import type { DecodeResult } from '../../../shared/inspect/decode/decoded-payload';
import { decoderKey, type DecoderSpec, type ProtoFile } from '../../../shared/inspect/decode/decode-rules';
import { decodeLocally, isLocalDecoder } from '../../../shared/inspect/decode/local-decode';

/** A request sent and not yet answered. */
const PENDING = Symbol('pending');
type Cached = DecodeResult | typeof PENDING;

/** Payloads waiting for the next `payload:decode` call with one decoder and one set of `.proto` files. */
interface Batch {
  decoder: DecoderSpec;
  protoFiles: readonly ProtoFile[];
  key: string;
  payloads: Uint8Array[];
  bytes: number;
}

export class PayloadDecoding {
  readonly #api: Pick<TopicscopeApi, 'payload:decode'>;
  /**
   * The results, by payload and decoder key. Svelte cannot watch a WeakMap, so the map is
   * published in a wrapper that is replaced (same map inside) each time answers arrive:
   * whoever read it before is rendered again.
   */
  #published = $state.raw({ results: new WeakMap<Uint8Array, Map<string, Cached>>() });
  /** A number per `.proto` file set (by identity: a profile's list is replaced, never edited), so edited files decode afresh. */
  readonly #protoSetIds = new WeakMap<readonly ProtoFile[], number>();
  #nextProtoSetId = 1;
  #batches: Batch[] = [];
  #flushQueued = false;

  constructor(api: Pick<TopicscopeApi, 'payload:decode'>) {
    this.#api = api;
  }

  /**
   * The payload decoded with `decoder` (and, for Protobuf, the profile's `protoFiles`), or
   * undefined while the core decodes it. A failed decode is a result of kind `error`.
   */
  result(message: { payload: Uint8Array }, decoder: DecoderSpec, protoFiles: readonly ProtoFile[] = []): DecodeResult | undefined {
    const results = this.#published.results;
    const payload = message.payload;
    const key = this.#key(decoder, protoFiles);
    let byDecoder = results.get(payload);
    const cached = byDecoder?.get(key);
    if (cached !== undefined) return cached === PENDING ? undefined : cached;
    if (!byDecoder) {
      byDecoder = new Map();
      results.set(payload, byDecoder);
    }
    if (isLocalDecoder(decoder.kind)) {
      const local = decodeLocally(decoder.kind, payload);
      byDecoder.set(key, local);
      return local;
    }
    byDecoder.set(key, PENDING);
    this.#enqueue(decoder, protoFiles, key, payload);
    return undefined;
  }

  #key(decoder: DecoderSpec, protoFiles: readonly ProtoFile[]): string {
    if (decoder.kind !== 'protobuf') return decoderKey(decoder);
    let id = this.#protoSetIds.get(protoFiles);
    if (id === undefined) {
      id = this.#nextProtoSetId++;
      this.#protoSetIds.set(protoFiles, id);
    }
    return `${decoderKey(decoder)}#${id}`;
  }

  #enqueue(decoder: DecoderSpec, protoFiles: readonly ProtoFile[], key: string, payload: Uint8Array): void {
    let batch = this.#batches.findLast((b) => b.key === key);
    if (!batch || batch.payloads.length >= MAX_DECODE_PAYLOADS || batch.bytes + payload.byteLength > MAX_DECODE_BATCH_BYTES) {
      batch = { decoder, protoFiles, key, payloads: [], bytes: 0 };
      this.#batches.push(batch);
    }
    batch.payloads.push(payload);
    batch.bytes += payload.byteLength;
    if (!this.#flushQueued) {
      this.#flushQueued = true;
      queueMicrotask(() => this.#flush());
    }
  }

  #flush(): void {
    const batches = this.#batches;
    this.#batches = [];
    this.#flushQueued = false;
    for (const batch of batches) void this.#send(batch);
  }

  async #send(batch: Batch): Promise<void> {
    let results: readonly DecodeResult[];
    try {
      const answer = await this.#api['payload:decode']({ decoder: batch.decoder, protoFiles: [...batch.protoFiles], payloads: batch.payloads });
      const format = batch.decoder.kind;
      results = answer.ok ? answer.value.results : batch.payloads.map(() => ({ kind: 'error', format, message: answer.error.message }));
    } catch (error) {
      // The transport failed (the core went away): said once per payload, not retried on every render.
      const message = `The payload could not be decoded: ${error instanceof Error ? error.message : String(error)}`;
      results = batch.payloads.map(() => ({ kind: 'error', format: batch.decoder.kind, message }));
    }
    const published = this.#published.results;
    batch.payloads.forEach((payload, i) => {
      const result: DecodeResult = results[i] ?? { kind: 'error', format: batch.decoder.kind, message: 'The core gave no result for this payload.' };
      published.get(payload)?.set(batch.key, result);
    });
    this.#published = { results: published };
  }
}
