/**
 * How one tab reads payloads: its "Decode as" rules and `.proto` files, and the
 * decoded form of whatever a view shows (lazily, through PayloadDecoding).
 *
 * The rules belong to the tab's profile: they load with it, a change is saved into it
 * at once (only the rules and `.proto` files; the profile's other fields stay as saved),
 * and they are exported with it. A tab opened without a profile keeps its rules for as
 * long as it is open, and says so.
 */
import type { CommandResult, TopicscopeApi } from '../../../shared/ipc/ipc-contract';
import type { ProfileView } from '../../../shared/profiles/connection-profile';
import type { DecodeResult } from '../../../shared/inspect/decode/decoded-payload';
import { chooseDecoder, protoFileSchema, type DecodeRule, type DecoderChoice, type DecoderSpec, type ProtoFile } from '../../../shared/inspect/decode/decode-rules';
import { sparkplugPayloadsOf } from '../../../shared/inspect/sparkplug/sparkplug-results';
import type { ReceivedMessage } from '../../../shared/mqtt/mqtt-message';
import { PayloadDecoding } from './payload-decoding.svelte';
import type { DecodeSparkplug } from './sparkplug/sparkplug-state.svelte';

/** Where the tab's profile is read and its decoding saved (the window's ProfilesState). */
export interface DecodingProfiles {
  find(id: string): ProfileView | undefined;
  saveDecoding(profile: ProfileView, decodeRules: DecodeRule[], protoFiles: ProtoFile[]): Promise<CommandResult<'profile:save'> | { ok: true; value: ProfileView }>;
}

const SPARKPLUG: DecoderSpec = { kind: 'sparkplug' };

export class DecodingState {
  readonly #api: Pick<TopicscopeApi, 'payload:decode'>;
  readonly #decoding: PayloadDecoding;
  readonly #profiles: DecodingProfiles | null;
  readonly #profileId: () => string | null;
  /** The rules of a tab without a profile (or before the profile list loaded). */
  #local = $state.raw<{ rules: DecodeRule[]; protoFiles: ProtoFile[] }>({ rules: [], protoFiles: [] });
  #saveError = $state<string | null>(null);

  constructor(api: Pick<TopicscopeApi, 'payload:decode'>, profileId: () => string | null, profiles: DecodingProfiles | null = null) {
    this.#api = api;
    this.#decoding = new PayloadDecoding(api);
    this.#profileId = profileId;
    this.#profiles = profiles;
  }

  #profile(): ProfileView | undefined {
    const id = this.#profileId();
    return id ? this.#profiles?.find(id) : undefined;
  }

  /** The rules in force, first match wins. */
  get rules(): readonly DecodeRule[] {
    return this.#profile()?.decodeRules ?? this.#local.rules;
  }

  get protoFiles(): readonly ProtoFile[] {
    return this.#profile()?.protoFiles ?? this.#local.protoFiles;
  }

  /** The profile the rules are saved in; null when the tab has none (they last while it is open). */
  get savedIn(): string | null {
    return this.#profile()?.name ?? null;
  }

  /** Why the last change could not be saved, for the user; null when it was. */
  get saveError(): string | null {
    return this.#saveError;
  }

  /** The decoder for a message on `topic`, and why it was chosen. */
  choice(topic: string, message: ReceivedMessage | null): DecoderChoice {
    return chooseDecoder(topic, message?.properties?.contentType, this.rules, this.protoFiles);
  }

  /**
   * The message decoded as its topic's rules say. Undefined while the core decodes it,
   * and for the automatic reading (JSON, text or bytes as they look), which the views
   * make themselves: the viewer pretty-prints JSON's text as received, in slices (its
   * numbers exact, a 1 MiB value never parsed in one go), the diff parses what it compares.
   */
  result(topic: string, message: ReceivedMessage): DecodeResult | undefined {
    const decoder = this.choice(topic, message).decoder;
    if (decoder.kind === 'auto') return undefined;
    return this.#decoding.result(message, decoder, this.protoFiles);
  }

  /**
   * "Decode as" for one topic: a rule for exactly `topic` goes first (replacing one it
   * had); `auto` removes it, so the content type or the defaults choose again.
   */
  decodeAs(topic: string, decoder: DecoderSpec): Promise<void> {
    const others = this.rules.filter((rule) => rule.filter !== topic);
    const rules = decoder.kind === 'auto' ? others : [{ filter: topic, decoder }, ...others];
    return this.#save(rules, [...this.protoFiles]);
  }

  /**
   * Adds a `.proto` file the user chose (or replaces the one of the same name); a file
   * that cannot be one (name, size) is refused with the reason and nothing changes.
   */
  async addProtoFile(name: string, source: string): Promise<void> {
    const parsed = protoFileSchema.safeParse({ name, source });
    if (!parsed.success) {
      this.#saveError = parsed.error.issues[0]?.message ?? 'This is not a .proto file Topicscope can keep.';
      return;
    }
    await this.#save([...this.rules], [...this.protoFiles.filter((f) => f.name !== name), parsed.data]);
  }

  async #save(rules: DecodeRule[], protoFiles: ProtoFile[]): Promise<void> {
    const profile = this.#profile();
    if (!profile || !this.#profiles) {
      this.#local = { rules, protoFiles };
      this.#saveError = null;
      return;
    }
    const result = await this.#profiles.saveDecoding(profile, rules, protoFiles);
    this.#saveError = result.ok ? null : result.error.message;
  }

  /** Sparkplug B payloads decoded in the core, for the Sparkplug metrics. */
  readonly decodeSparkplug: DecodeSparkplug = async (payloads) => {
    const result = await this.#api['payload:decode']({ decoder: SPARKPLUG, payloads });
    if (!result.ok) throw new Error(result.error.message);
    return sparkplugPayloadsOf(result.value.results);
  };
}
