/**
 * What the Replay dialog shows about a recording before it starts, read from the whole
 * file once through the streaming reader (recording-file.ts).
 */
import { basename } from 'node:path';
import { MAX_PREVIEW_TOPICS, PREVIEW_TOPIC_NAMES, type ReplayPreview } from '../../../shared/recording/replay';
import { openRecordingStream, whatWasLeftOut } from './recording-file';

/** Reads the whole file once, streaming, into what the Replay dialog shows before starting. */
export async function previewRecording(path: string, propertiesDropped: boolean): Promise<ReplayPreview> {
  const stream = await openRecordingStream(path);
  const topics = new Set<string>();
  let topicsCapped = false;
  const firstTopics: string[] = [];
  let firstAt: number | null = null;
  let lastAt: number | null = null;
  let withProperties = 0;
  for await (const batch of stream.batches) {
    for (const message of batch) {
      firstAt ??= message.receivedAt;
      lastAt = message.receivedAt;
      if (message.properties) withProperties++;
      if (topicsCapped || topics.has(message.topic)) continue;
      if (topics.size === MAX_PREVIEW_TOPICS) {
        topicsCapped = true;
        continue;
      }
      topics.add(message.topic);
      if (firstTopics.length < PREVIEW_TOPIC_NAMES) firstTopics.push(message.topic);
    }
  }
  const summary = stream.summary();
  const { skipped, truncated } = whatWasLeftOut(stream);
  return {
    fileName: basename(path),
    gzip: stream.gzip,
    messages: summary.messages,
    topics: topics.size,
    topicsCapped,
    firstTopics,
    firstAt,
    lastAt,
    withProperties,
    propertiesDropped: propertiesDropped && withProperties > 0,
    skipped,
    skippedLines: summary.skippedCount,
    truncated,
  };
}
