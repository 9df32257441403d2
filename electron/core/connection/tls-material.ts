/**
 * Reads and checks the TLS files a connection names, so a wrong path or a file that
 * is not PEM is reported before any network traffic, with the file named. Files are
 * read through readUserFile: regular files of at most MAX_PEM_FILE_BYTES only.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import type { AppError, Result } from '../../../shared/ipc/app-error';
import { fail, ok } from '../../../shared/ipc/app-error';
import { MAX_PEM_FILE_BYTES, type ConnectionConfig } from '../../../shared/connection/connection-config';
import { readUserFile } from '../storage/user-file';

export interface TlsMaterial {
  /** Trusted CAs (file's alone, or file's plus the system's); undefined: system only. */
  ca?: string[];
  cert?: string;
  key?: string;
  passphrase?: string;
}

type FileRole = 'CA file' | 'client certificate' | 'client key';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;

/** What each file is, for the size advice. */
const CONTENTS: Record<FileRole, string> = {
  'CA file': 'PEM certificate bundle',
  'client certificate': 'PEM certificate chain',
  'client key': 'PEM private key',
};

async function readPemFile(path: string, role: FileRole): Promise<Result<string>> {
  const read = await readUserFile(path, { role, contents: CONTENTS[role], maxBytes: MAX_PEM_FILE_BYTES });
  if (!read.ok) return read;
  const bytes = read.value;
  const text = bytes.toString('utf8');
  if (!text.includes('-----BEGIN ')) {
    const hint = bytes[0] === 0x30 ? ' It looks like DER (binary): convert it with "openssl x509 -inform der -in FILE -out FILE.pem".' : '';
    return fail({ code: 'FILE_NOT_PEM', message: `The ${role} "${path}" is not a PEM file (no "-----BEGIN" line).${hint}` });
  }
  return ok(text);
}

function certificateBlocks(pem: string): string[] {
  return [...pem.matchAll(PEM_BLOCK)].filter((m) => m[1] === 'CERTIFICATE').map((m) => m[0]);
}

function checkCertificates(pem: string, path: string, role: FileRole): Result<string[]> {
  const blocks = certificateBlocks(pem);
  if (blocks.length === 0) {
    return fail({ code: 'FILE_NOT_PEM', message: `The ${role} "${path}" holds no "BEGIN CERTIFICATE" block.` });
  }
  for (const [index, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (error) {
      return fail({
        code: 'FILE_NOT_PEM',
        message: `Certificate ${index + 1} in the ${role} "${path}" is damaged and cannot be parsed.`,
        detail: (error as Error).message,
      });
    }
  }
  return ok(blocks);
}

export async function loadTlsMaterial(tls: ConnectionConfig['tls']): Promise<Result<TlsMaterial>> {
  const material: TlsMaterial = {};
  if (tls.caFile) {
    const pem = await readPemFile(tls.caFile, 'CA file');
    if (!pem.ok) return pem;
    const blocks = checkCertificates(pem.value, tls.caFile, 'CA file');
    if (!blocks.ok) return blocks;
    // Node's `ca` option replaces the built-in store; "add" keeps the system CAs too.
    material.ca = tls.caMode === 'replace' ? blocks.value : [...rootCertificates, ...blocks.value];
  }
  if (tls.certFile && tls.keyFile) {
    const cert = await readPemFile(tls.certFile, 'client certificate');
    if (!cert.ok) return cert;
    const certBlocks = checkCertificates(cert.value, tls.certFile, 'client certificate');
    if (!certBlocks.ok) return certBlocks;
    const key = await readPemFile(tls.keyFile, 'client key');
    if (!key.ok) return key;
    const keyProblem = checkPrivateKey(key.value, tls.keyFile, tls.keyPassphrase);
    if (keyProblem) return fail(keyProblem);
    material.cert = cert.value;
    material.key = key.value;
    if (tls.keyPassphrase) material.passphrase = tls.keyPassphrase;
  }
  return ok(material);
}

function checkPrivateKey(pem: string, path: string, passphrase: string | undefined): AppError | null {
  try {
    createPrivateKey(passphrase ? { key: pem, passphrase } : { key: pem });
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const encrypted = pem.includes('ENCRYPTED');
    if (encrypted) {
      return {
        code: 'FILE_NOT_PEM',
        message: passphrase
          ? `The client key "${path}" could not be decrypted: check the key passphrase.`
          : `The client key "${path}" is encrypted: enter its passphrase.`,
        detail: code,
      };
    }
    return { code: 'FILE_NOT_PEM', message: `The client key "${path}" is not a readable PEM private key.`, detail: code };
  }
}
