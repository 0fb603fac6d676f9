/**
 * Certificates made by scripts/make-local-cert.sh for the HTTPS tests, and this test process
 * trusting their CA the way a device that installed it does.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { connect, getCACertificates, setDefaultCACertificates } from 'node:tls';

/** The files the script leaves in its directory. */
export type LocalCert = { dir: string; ca: string; cert: string; key: string };

/** Runs the script into `dir` (the CA made once, a new server certificate every time). */
export function makeLocalCert(dir: string, names: string[]): LocalCert {
  execFileSync('bash', [path.resolve('scripts/make-local-cert.sh'), '-d', dir, ...names], { stdio: 'pipe' });
  return { dir, ca: path.join(dir, 'ca.crt'), cert: path.join(dir, 'server.crt'), key: path.join(dir, 'server.key') };
}

/** SHA-256 fingerprint of the first certificate of a PEM file. */
export function fingerprintOf(certFile: string): string {
  return new X509Certificate(readFileSync(certFile)).fingerprint256;
}

/** Base64 SHA-256 of the first certificate's public key (SPKI): what Chromium pins by. */
export function spkiHashOf(certFile: string): string {
  const spki = new X509Certificate(readFileSync(certFile)).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

/** Trusts the CA for every TLS client of this process (fetch too); answers how to undo it. */
export function trustCa(caFile: string): () => void {
  const before = getCACertificates('default');
  setDefaultCACertificates([...before, readFileSync(caFile, 'utf8')]);
  return () => setDefaultCACertificates(before);
}

/** The fingerprint of the certificate a new TLS connection to `port` is shown. */
export function servedFingerprint(port: number, servername = 'localhost'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername }, () => {
      resolve(socket.getPeerX509Certificate()?.fingerprint256 ?? '');
      socket.end();
    });
    socket.once('error', reject);
  });
}
