import { execFile } from 'node:child_process';
import { X509Certificate, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TlsMaterial } from '../../electron/core/connection/tls-material';
import { loadTlsMaterial } from '../../electron/core/connection/tls-material';
import type { AppError, Result } from '../../shared/ipc/app-error';
import type { ConnectionConfig } from '../../shared/connection/connection-config';

const run = promisify(execFile);
const PASSPHRASE = 'correct horse battery staple';

let dir = '';
/** Absolute path of a generated file. */
const p = (name: string): string => join(dir, name);

async function openssl(...args: string[]): Promise<void> {
  await run('openssl', args, { cwd: dir });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), `topicscope-tls-${randomBytes(4).toString('hex')}-`));
  const ecKey = ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  await openssl(...ecKey, '-out', p('ca.key'));
  await openssl(
    'req', '-x509', '-new', '-key', p('ca.key'), '-sha256', '-days', '2',
    '-subj', '/CN=Topicscope Test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-out', p('ca.pem'),
  );
  await openssl(...ecKey, '-out', p('client.key'));
  await openssl('req', '-new', '-key', p('client.key'), '-subj', '/CN=topicscope-client', '-out', p('client.csr'));
  await openssl(
    'x509', '-req', '-in', p('client.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'),
    '-set_serial', '2', '-days', '2', '-sha256', '-out', p('client.pem'),
  );
  await openssl('x509', '-in', p('ca.pem'), '-outform', 'DER', '-out', p('ca.der'));
  // PKCS#8 encrypted ("BEGIN ENCRYPTED PRIVATE KEY") and traditional ("Proc-Type: 4,ENCRYPTED").
  await openssl('pkey', '-in', p('client.key'), '-aes256', '-passout', `pass:${PASSPHRASE}`, '-out', p('client.enc.key'));
  await openssl('ec', '-in', p('client.key'), '-aes256', '-passout', `pass:${PASSPHRASE}`, '-out', p('client.legacy-enc.key'));

  const ca = await readFile(p('ca.pem'), 'utf8');
  const client = await readFile(p('client.pem'), 'utf8');
  await writeFile(p('chain.pem'), client + ca);
  await writeFile(p('chain-crlf.pem'), (client + ca).replace(/\n/g, '\r\n'));
  await writeFile(p('bag-attributes.pem'), `Bag Attributes\n    friendlyName: ca\nsubject=/CN=Topicscope Test CA\n${ca}`);
  await writeFile(p('not-pem.txt'), 'this is not a certificate\n');
  await writeFile(p('empty.pem'), '');
  await writeFile(
    p('damaged.pem'),
    `${ca}-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGUgYXQgYWxs\n-----END CERTIFICATE-----\n`,
  );
  await writeFile(p('garbage.key'), '-----BEGIN PRIVATE KEY-----\nTm90IGEga2V5\n-----END PRIVATE KEY-----\n');
  await mkdir(p('a-folder'));
  await run('mkfifo', [p('ca.fifo')]);
  await writeFile(p('huge.pem'), ca.repeat(Math.ceil((3 * 1024 * 1024) / ca.length)).slice(0, 3 * 1024 * 1024));
  // Real bundles (Mozilla's ca-certificates.crt) hold ~150 certificates in ~220 KB.
  await writeFile(p('big-bundle.pem'), ca.repeat(Math.floor((1024 * 1024) / ca.length)));
}, 60_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function tls(overrides: Partial<ConnectionConfig['tls']>): ConnectionConfig['tls'] {
  return { caMode: 'add', verifyServerCertificate: true, alpnProtocols: [], ...overrides };
}

function expectOk(result: Result<TlsMaterial>): TlsMaterial {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

function expectError(result: Result<TlsMaterial>): AppError {
  if (result.ok) throw new Error('expected an error, got ok');
  return result.error;
}

function subject(pem: string): string {
  return new X509Certificate(pem).subject;
}

describe('loadTlsMaterial without files', () => {
  it('returns nothing to add when no file is set (system CAs only)', async () => {
    expect(expectOk(await loadTlsMaterial(tls({})))).toEqual({});
    expect(expectOk(await loadTlsMaterial(tls({ caFile: '' })))).toEqual({});
  });
});

describe('loadTlsMaterial CA file', () => {
  it('a valid CA in "replace" mode trusts only that CA', async () => {
    const material = expectOk(await loadTlsMaterial(tls({ caFile: p('ca.pem'), caMode: 'replace' })));
    expect(material.ca).toHaveLength(1);
    expect(subject(material.ca![0]!)).toBe('CN=Topicscope Test CA');
  });

  it('a valid CA in "add" mode keeps the system CAs and adds the file\'s', async () => {
    const material = expectOk(await loadTlsMaterial(tls({ caFile: p('ca.pem') })));
    expect(rootCertificates.length).toBeGreaterThan(0);
    expect(material.ca).toHaveLength(rootCertificates.length + 1);
    expect(material.ca!.slice(0, rootCertificates.length)).toEqual([...rootCertificates]);
    expect(subject(material.ca!.at(-1)!)).toBe('CN=Topicscope Test CA');
  });

  it('a chain of two certificates yields both, in file order', async () => {
    const material = expectOk(await loadTlsMaterial(tls({ caFile: p('chain.pem'), caMode: 'replace' })));
    expect(material.ca?.map(subject)).toEqual(['CN=topicscope-client', 'CN=Topicscope Test CA']);
  });

  it('accepts CRLF line endings', async () => {
    const material = expectOk(await loadTlsMaterial(tls({ caFile: p('chain-crlf.pem'), caMode: 'replace' })));
    expect(material.ca?.map(subject)).toEqual(['CN=topicscope-client', 'CN=Topicscope Test CA']);
  });

  it('passes only the PEM blocks, not text around them (openssl pkcs12 "Bag Attributes")', async () => {
    const material = expectOk(await loadTlsMaterial(tls({ caFile: p('bag-attributes.pem'), caMode: 'replace' })));
    expect(material.ca).toHaveLength(1);
    expect(material.ca![0]!.startsWith('-----BEGIN CERTIFICATE-----')).toBe(true);
    expect(material.ca![0]!.trimEnd().endsWith('-----END CERTIFICATE-----')).toBe(true);
  });

  it('a missing path → FILE_MISSING naming the CA file and the path', async () => {
    const path = p('does-not-exist.pem');
    const error = expectError(await loadTlsMaterial(tls({ caFile: path })));
    expect(error.code).toBe('FILE_MISSING');
    expect(error.message).toBe(`The CA file "${path}" does not exist: check the path.`);
  });

  it('a directory → FILE_UNREADABLE saying it is a folder', async () => {
    const error = expectError(await loadTlsMaterial(tls({ caFile: p('a-folder') })));
    expect(error.code).toBe('FILE_UNREADABLE');
    expect(error.message).toBe(`The CA file "${p('a-folder')}" is a folder, not a file: choose the CA file itself.`);
  });

  it.each(['/dev/zero', '/dev/urandom'])('%s → FILE_UNREADABLE at once, saying it is a device and not the CA file', async (device) => {
    const started = performance.now();
    const error = expectError(await loadTlsMaterial(tls({ caFile: device })));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(error.code).toBe('FILE_UNREADABLE');
    expect(error.message).toBe(`The CA file "${device}" is not a regular file (a character device): choose the CA file itself.`);
  });

  it('a FIFO → FILE_UNREADABLE without waiting for a writer', async () => {
    const error = expectError(await loadTlsMaterial(tls({ caFile: p('ca.fifo') })));
    expect(error.code).toBe('FILE_UNREADABLE');
    expect(error.message).toContain('is not a regular file (a named pipe (FIFO))');
  });

  it('a file over 2 MiB → FILE_UNREADABLE giving its size and the limit', async () => {
    const error = expectError(await loadTlsMaterial(tls({ caFile: p('huge.pem') })));
    expect(error.code).toBe('FILE_UNREADABLE');
    expect(error.message).toBe(`The CA file "${p('huge.pem')}" is 3.0 MiB; a PEM certificate bundle is at most 2 MiB: check you chose the right file.`);
  });

  it('a CA bundle the size of Mozilla\'s and more (about 1 MiB) still loads', async () => {
    const material = expectOk(await loadTlsMaterial(tls({ caFile: p('big-bundle.pem'), caMode: 'replace' })));
    expect(material.ca!.length).toBeGreaterThan(500);
  });

  it('a non-PEM text file → FILE_NOT_PEM without a DER hint', async () => {
    const error = expectError(await loadTlsMaterial(tls({ caFile: p('not-pem.txt') })));
    expect(error.code).toBe('FILE_NOT_PEM');
    expect(error.message).toContain(`The CA file "${p('not-pem.txt')}" is not a PEM file`);
    expect(error.message).not.toMatch(/DER/);
  });

  it('an empty file → FILE_NOT_PEM', async () => {
    expect(expectError(await loadTlsMaterial(tls({ caFile: p('empty.pem') }))).code).toBe('FILE_NOT_PEM');
  });

  it('a DER file → FILE_NOT_PEM with the openssl conversion command', async () => {
    const error = expectError(await loadTlsMaterial(tls({ caFile: p('ca.der') })));
    expect(error.code).toBe('FILE_NOT_PEM');
    expect(error.message).toContain('looks like DER');
    expect(error.message).toContain('openssl x509 -inform der');
  });

  it('a PEM file with no certificate (a key) → FILE_NOT_PEM saying so', async () => {
    const error = expectError(await loadTlsMaterial(tls({ caFile: p('client.key') })));
    expect(error.code).toBe('FILE_NOT_PEM');
    expect(error.message).toContain('holds no "BEGIN CERTIFICATE" block');
  });

  it('a damaged certificate → FILE_NOT_PEM naming which certificate', async () => {
    const error = expectError(await loadTlsMaterial(tls({ caFile: p('damaged.pem') })));
    expect(error.code).toBe('FILE_NOT_PEM');
    expect(error.message).toContain('Certificate 2 in the CA file');
    expect(error.message).toContain('damaged');
  });
});

describe('loadTlsMaterial client certificate and key', () => {
  it('loads an unencrypted key and its certificate', async () => {
    const material = expectOk(await loadTlsMaterial(tls({ certFile: p('client.pem'), keyFile: p('client.key') })));
    expect(material.cert).toBe(await readFile(p('client.pem'), 'utf8'));
    expect(material.key).toBe(await readFile(p('client.key'), 'utf8'));
    expect(material.passphrase).toBeUndefined();
    expect(material.ca).toBeUndefined();
  });

  it.each(['client.enc.key', 'client.legacy-enc.key'])('loads the encrypted key %s with the right passphrase', async (keyName) => {
    const material = expectOk(
      await loadTlsMaterial(tls({ certFile: p('client.pem'), keyFile: p(keyName), keyPassphrase: PASSPHRASE })),
    );
    expect(material.key).toContain('ENCRYPTED');
    expect(material.passphrase).toBe(PASSPHRASE);
  });

  it.each(['client.enc.key', 'client.legacy-enc.key'])('refuses %s with a wrong passphrase, asking to check it', async (keyName) => {
    const error = expectError(
      await loadTlsMaterial(tls({ certFile: p('client.pem'), keyFile: p(keyName), keyPassphrase: 'wrong' })),
    );
    expect(error.code).toBe('FILE_NOT_PEM');
    expect(error.message).toBe(`The client key "${p(keyName)}" could not be decrypted: check the key passphrase.`);
  });

  it.each(['client.enc.key', 'client.legacy-enc.key'])('refuses %s without a passphrase, asking for it', async (keyName) => {
    const error = expectError(await loadTlsMaterial(tls({ certFile: p('client.pem'), keyFile: p(keyName) })));
    expect(error.code).toBe('FILE_NOT_PEM');
    expect(error.message).toBe(`The client key "${p(keyName)}" is encrypted: enter its passphrase.`);
  });

  it('refuses a key file that is not a private key', async () => {
    const error = expectError(await loadTlsMaterial(tls({ certFile: p('client.pem'), keyFile: p('garbage.key') })));
    expect(error.code).toBe('FILE_NOT_PEM');
    expect(error.message).toBe(`The client key "${p('garbage.key')}" is not a readable PEM private key.`);
  });

  it('a missing certificate file → FILE_MISSING naming the client certificate', async () => {
    const error = expectError(await loadTlsMaterial(tls({ certFile: p('nope.pem'), keyFile: p('client.key') })));
    expect(error.code).toBe('FILE_MISSING');
    expect(error.message).toContain(`The client certificate "${p('nope.pem')}"`);
  });

  it('a missing key file → FILE_MISSING naming the client key', async () => {
    const error = expectError(await loadTlsMaterial(tls({ certFile: p('client.pem'), keyFile: p('nope.key') })));
    expect(error.code).toBe('FILE_MISSING');
    expect(error.message).toContain(`The client key "${p('nope.key')}"`);
  });

  it('a key file that is /dev/zero → FILE_UNREADABLE naming the client key', async () => {
    const error = expectError(await loadTlsMaterial(tls({ certFile: p('client.pem'), keyFile: '/dev/zero' })));
    expect(error.code).toBe('FILE_UNREADABLE');
    expect(error.message).toBe('The client key "/dev/zero" is not a regular file (a character device): choose the client key itself.');
  });

  it('a certificate file holding only a key → FILE_NOT_PEM naming the client certificate', async () => {
    const error = expectError(await loadTlsMaterial(tls({ certFile: p('client.key'), keyFile: p('client.key') })));
    expect(error.code).toBe('FILE_NOT_PEM');
    expect(error.message).toContain('The client certificate');
    expect(error.message).toContain('holds no "BEGIN CERTIFICATE" block');
  });

  it('a DER certificate file → FILE_NOT_PEM naming the client certificate with the DER hint', async () => {
    const error = expectError(await loadTlsMaterial(tls({ certFile: p('ca.der'), keyFile: p('client.key') })));
    expect(error.code).toBe('FILE_NOT_PEM');
    expect(error.message).toContain(`The client certificate "${p('ca.der')}"`);
    expect(error.message).toContain('DER');
  });

  it('a CA problem is reported before the client files are looked at', async () => {
    const error = expectError(
      await loadTlsMaterial(tls({ caFile: p('nope-ca.pem'), certFile: p('nope.pem'), keyFile: p('nope.key') })),
    );
    expect(error.message).toContain('The CA file');
  });

  it('loads CA, certificate and key together', async () => {
    const material = expectOk(
      await loadTlsMaterial(
        tls({ caFile: p('ca.pem'), caMode: 'replace', certFile: p('client.pem'), keyFile: p('client.enc.key'), keyPassphrase: PASSPHRASE }),
      ),
    );
    expect(material.ca?.map(subject)).toEqual(['CN=Topicscope Test CA']);
    expect(material.cert).toContain('BEGIN CERTIFICATE');
    expect(material.key).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    expect(material.passphrase).toBe(PASSPHRASE);
  });
});
