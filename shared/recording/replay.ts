/**
 * Replay, as both sides of the contract see it: the options the dialog sends (speed,
 * topic rewrite, retain), the preview of a chosen recording, the status events while it
 * plays, and the pure rules behind them (topic rewrite and its check, pacing, wording).
 */
import { topicNameProblem } from '../mqtt/mqtt-topic';

/** The slowest and fastest paced speeds; 'max' is "as fast as the broker takes it". */
export const MIN_REPLAY_SPEED = 0.5;
export const MAX_REPLAY_SPEED = 100;
export type ReplaySpeed = number | 'max';

/** How topics change on the way out: unchanged, a prefix added, or a leading part replaced. */
export type TopicRewrite = { kind: 'none' } | { kind: 'add'; prefix: string } | { kind: 'replace'; from: string; to: string };

export interface ReplayOptions {
  speed: ReplaySpeed;
  rewrite: TopicRewrite;
  /** 'strip': every message goes out with retain false, so the broker keeps none of them. */
  retain: 'keep' | 'strip';
}

/** Distinct topics a preview counts exactly; past this it says "more than". */
export const MAX_PREVIEW_TOPICS = 100_000;
/** Topics a preview lists by name. */
export const PREVIEW_TOPIC_NAMES = 5;

/** What the dialog shows before starting: read from the whole file, streaming. */
export interface ReplayPreview {
  /** The file's name, without a folder. */
  fileName: string;
  gzip: boolean;
  messages: number;
  /** Distinct topics, counted up to MAX_PREVIEW_TOPICS (`topicsCapped` then). */
  topics: number;
  topicsCapped: boolean;
  /** The first few topics in the order they first appear. */
  firstTopics: string[];
  /** Receive times of the first and last message (ms since the epoch); null without messages. */
  firstAt: number | null;
  lastAt: number | null;
  /** Messages carrying MQTT 5 properties. */
  withProperties: number;
  /** The connection speaks MQTT 3.1.1: those properties cannot be sent and are dropped. */
  propertiesDropped: boolean;
  /** What the reader left out (describeSkipped), or null when it kept every line. */
  skipped: string | null;
  skippedLines: number;
  /** The file ends mid-line or mid-gzip stream: it was cut short. */
  truncated: boolean;
}

export type ReplayState = 'running' | 'paused' | 'stopped';
export type ReplayEnd = 'done' | 'user' | 'connection-lost' | 'failed';

export interface ReplayStatus {
  state: ReplayState;
  fileName: string;
  /** Messages handed to the broker (QoS 0 written, QoS 1/2 acknowledged). */
  sent: number;
  /** Messages the broker refused (negative PUBACK/PUBREC) or that failed to go out. */
  failed: number;
  total: number;
  /** Where the replay is in the recording's own time, and the recording's length (ms). */
  positionMs: number;
  durationMs: number;
  speed: ReplaySpeed;
  /** Why it stopped; null while running or paused. */
  stoppedBecause: ReplayEnd | null;
  /** In words, when it stopped early or something failed; null otherwise. */
  problem: string | null;
}

/** The topic a message goes out on; a topic a "replace" rewrite does not match keeps its own. */
export function rewriteTopic(topic: string, rewrite: TopicRewrite): string {
  switch (rewrite.kind) {
    case 'none':
      return topic;
    case 'add':
      return rewrite.prefix + topic;
    case 'replace':
      return topic.startsWith(rewrite.from) ? rewrite.to + topic.slice(rewrite.from.length) : topic;
  }
}

/** What is wrong with a rewrite itself, before any topic: null when it is usable. */
export function rewriteProblem(rewrite: TopicRewrite): string | null {
  const wildcard = (text: string): boolean => text.includes('+') || text.includes('#');
  if (rewrite.kind === 'add') {
    if (rewrite.prefix === '') return 'Type the prefix to add, e.g. "replay/".';
    if (wildcard(rewrite.prefix)) return 'A prefix cannot contain "+" or "#".';
  }
  if (rewrite.kind === 'replace') {
    if (rewrite.from === '') return 'Type the beginning of the topics to replace, e.g. "plant/".';
    if (wildcard(rewrite.from) || wildcard(rewrite.to)) return 'Topics to replace cannot contain "+" or "#".';
  }
  return null;
}

/** The rewritten topic's problem (empty, too long, "$" from a prefix...), named with both topics. */
export function rewrittenTopicProblem(topic: string, rewrite: TopicRewrite): string | null {
  const out = rewriteTopic(topic, rewrite);
  const problem = topicNameProblem(out);
  if (problem) return `"${topic}" would become "${out}": ${problem}`;
  if (out.startsWith('$') && !topic.startsWith('$')) return `"${topic}" would become "${out}", a "$" topic brokers do not accept from clients.`;
  return null;
}

/**
 * When message `offsetMs` (its receive time after the first message's) is due, on the
 * replay's clock: absolute from the start, never a chain of relative waits, so timer
 * lateness does not add up over a long recording. `pausedMs` is the time spent paused.
 */
export function dueAt(startedAt: number, offsetMs: number, speed: number, pausedMs: number): number {
  return startedAt + pausedMs + offsetMs / speed;
}

/** "00:42", "10:00", "1:02:03": a position in a recording. */
export function formatReplayTime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const two = (n: number): string => String(n).padStart(2, '0');
  return hours > 0 ? `${hours}:${two(minutes)}:${two(seconds)}` : `${two(minutes)}:${two(seconds)}`;
}

/** "12,345 of 1,000,000 · 00:42 of 10:00" */
export function formatReplayProgress(status: Pick<ReplayStatus, 'sent' | 'failed' | 'total' | 'positionMs' | 'durationMs'>): string {
  const count = (n: number): string => n.toLocaleString('en-US');
  return `${count(status.sent + status.failed)} of ${count(status.total)} · ${formatReplayTime(status.positionMs)} of ${formatReplayTime(status.durationMs)}`;
}

/** "1×", "0.5×", "as fast as the broker takes it" */
export function speedLabel(speed: ReplaySpeed): string {
  return speed === 'max' ? 'as fast as the broker takes it' : `${speed}×`;
}

/** A recording the host offers to replay (browser mode: its recordings folder), by its generated name. */
export interface RecordingListing {
  name: string;
  bytes: number;
  /** Last written, ms since the epoch. */
  modifiedAt: number;
}
