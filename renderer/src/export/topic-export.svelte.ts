/**
 * The Export dialog's state for one explorer: what to export (the selected topic's
 * history, or the last values of its subtree), in which format, and what the last save
 * did. The text is made by shared/export (pure) and saved through `export:save`.
 */
import type { TopicscopeApi } from '../../../shared/ipc/ipc-contract';
import { EXPORT_MEDIA_TYPES, exportFileName, type ExportFormat } from '../../../shared/export/export-file';
import { exportMessages, scopeFilter, subtreeLastMessages, type ExportScope } from '../../../shared/export/message-export';
import { webPayloadCodec } from '../../../shared/recording/recording-writer';
import type { SelectedTopic } from '../explorer/explorer-state.svelte';
import { saveExport, type DownloadText, type SaveReport } from './save-export';

/** What the last export did, with anything the user should know about the file. */
export interface ExportReport extends SaveReport {
  notes: string[];
}

export class TopicExport {
  readonly #api: TopicscopeApi | null;
  readonly #now: () => number;
  #scope = $state<ExportScope>('history');
  #format = $state<ExportFormat>('csv');
  #saving = $state(false);
  #report = $state.raw<ExportReport | null>(null);

  constructor(api: TopicscopeApi | null, now: () => number = Date.now) {
    this.#api = api;
    this.#now = now;
  }

  get scope(): ExportScope {
    return this.#scope;
  }

  get format(): ExportFormat {
    return this.#format;
  }

  get saving(): boolean {
    return this.#saving;
  }

  get report(): ExportReport | null {
    return this.#report;
  }

  setScope(scope: ExportScope): void {
    this.#scope = scope;
    this.#report = null;
  }

  setFormat(format: ExportFormat): void {
    this.#format = format;
    this.#report = null;
  }

  /** A fresh dialog for `selected`: its history when it has one, else its subtree. */
  open(selected: SelectedTopic): void {
    this.#report = null;
    if (selected.history.length === 0) this.#scope = 'subtree';
  }

  /** Makes the file for `selected` and saves it (desktop: the save dialog; browser mode: `download`). */
  async save(selected: SelectedTopic, download: DownloadText): Promise<void> {
    if (this.#saving) return;
    this.#report = null;
    if (!this.#api) {
      this.#report = { ok: false, text: 'Not connected.', notes: [] };
      return;
    }
    const scope = this.#scope;
    const format = this.#format;
    // History newest first in the view; a file reads oldest first.
    const messages = scope === 'history' ? [...selected.history].reverse() : subtreeLastMessages(selected.node);
    const made = exportMessages({ messages, format, filter: scopeFilter(selected.topic, scope), exportedAt: this.#now(), codec: webPayloadCodec });
    if (!made.ok) {
      this.#report = { ok: false, text: made.problem, notes: [] };
      return;
    }
    this.#saving = true;
    try {
      const fileName = exportFileName(selected.topic, scope, format);
      const saved = await saveExport(this.#api, { fileName, text: made.text, mediaType: EXPORT_MEDIA_TYPES[format] }, download);
      // Null: the user cancelled the save dialog; nothing to say.
      this.#report = saved && { ...saved, text: saved.ok ? `${messageCount(made.messages)} exported. ${saved.text}` : saved.text, notes: saved.ok ? made.notes : [] };
    } finally {
      this.#saving = false;
    }
  }
}

function messageCount(count: number): string {
  return `${count.toLocaleString('en-US')} message${count === 1 ? '' : 's'}`;
}
