/**
 * Imported TLS material that arrived as PEM text (MQTTX exports can carry file contents)
 * becomes files in a folder the app owns, so profiles keep naming files as the
 * connection form does.
 */
import { rmSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { makeFolder, writeFileAtomically } from '../storage/document-storage';

export class PemFolder {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  /** Writes `fileName` (readable by the user only, since it may be a private key) and returns its path. */
  write(fileName: string, pem: string): string {
    makeFolder(this.dir);
    const path = join(this.dir, fileName);
    writeFileAtomically(path, pem.endsWith('\n') ? pem : `${pem}\n`, 0o600);
    return path;
  }

  /** True for a path inside this folder: only those files are ever removed. */
  owns(path: string): boolean {
    return resolve(path).startsWith(this.dir + sep);
  }

  remove(path: string): void {
    if (this.owns(path)) rmSync(path, { force: true });
  }
}
