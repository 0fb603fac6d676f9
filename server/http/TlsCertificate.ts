/**
 * HTTPS served by the process itself (TLS_CERT, TLS_KEY). The certificate and key are read and
 * checked before anything starts: a file that is missing, unreadable or not what it should be
 * stops the start with a message naming the setting and the file. On SIGHUP they are read again,
 * so a renewed certificate needs no restart (new connections get it; open ones keep theirs).
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { RequestListener } from 'node:http';
import { createServer, type Server as HttpsServer } from 'node:https';
import { createSecureContext } from 'node:tls';
import { ConfigError } from '../config.js';
import type { Logger } from '../log.js';
import { redirectPlainHttp } from './plainHttpRedirect.js';

/** Where the PEM certificate (chain) and its key are (config.tls). */
export type CertificateFiles = { certFile: string; keyFile: string };

/** A certificate and its key, read and checked together. */
type Checked = { cert: Buffer; key: Buffer; names: string; validTo: Date };

/** The server's certificate: serves HTTPS with it and takes a renewed one on SIGHUP. */
export class TlsCertificate {
  readonly #files: CertificateFiles;
  readonly #logger: Logger;
  #current: Checked;
  #server: HttpsServer | undefined;
  #reloading: Promise<boolean> = Promise.resolve(true);
  readonly #onHangup = (): void => {
    void this.reload();
  };

  private constructor(files: CertificateFiles, current: Checked, logger: Logger) {
    this.#files = files;
    this.#current = current;
    this.#logger = logger;
  }

  /** Reads and checks the files; throws ConfigError naming the setting and the file. */
  static read(files: CertificateFiles, logger: Logger): TlsCertificate {
    const cert = readOrFail(files.certFile, 'TLS_CERT');
    const key = readOrFail(files.keyFile, 'TLS_KEY');
    const certificate = new TlsCertificate(files, check(files, cert, key), logger);
    // NOTE: the pid of this process, not of a wrapper above it (`npm start` runs tsx, then node):
    // a SIGHUP sent to those would stop them instead.
    certificate.#tell('HTTPS with', `; to take renewed files without a restart: kill -HUP ${process.pid}`);
    return certificate;
  }

  /**
   * The HTTPS server of `app`; a plain-HTTP request to it is sent to https://. It reloads the
   * certificate on SIGHUP until close().
   */
  createServer(app: RequestListener): HttpsServer {
    if (this.#server) throw new TypeError('TlsCertificate.createServer() called twice');
    this.#server = createServer({ cert: this.#current.cert, key: this.#current.key }, app);
    redirectPlainHttp(this.#server);
    process.on('SIGHUP', this.#onHangup);
    return this.#server;
  }

  /**
   * Reads the files again and serves the new certificate from the next connection on; answers
   * false (and keeps the one in use) when they are unreadable or do not make a certificate.
   */
  reload(): Promise<boolean> {
    // One after the other: two quick SIGHUPs must not end with the older files in use.
    this.#reloading = this.#reloading.then(async () => {
      try {
        const [cert, key] = await Promise.all([readAsync(this.#files.certFile, 'TLS_CERT'), readAsync(this.#files.keyFile, 'TLS_KEY')]);
        const next = check(this.#files, cert, key);
        this.#server?.setSecureContext({ cert: next.cert, key: next.key });
        this.#current = next;
        this.#tell('reloaded: HTTPS with');
        return true;
      } catch (error) {
        const reason = error instanceof ConfigError ? error.message.replace(/^invalid configuration:\n\s*/, '') : String(error);
        this.#logger.error(`certificate not reloaded, the one in use stays: ${reason}`);
        return false;
      }
    });
    return this.#reloading;
  }

  /** Stops listening for SIGHUP; safe to call twice. */
  close(): void {
    process.off('SIGHUP', this.#onHangup);
  }

  #tell(what: string, hint = ''): void {
    const { names, validTo } = this.#current;
    this.#logger.info(`${what} the certificate for ${names} from ${this.#files.certFile}, valid until ${validTo.toISOString()}${hint}`);
    // Browsers refuse an expired certificate with a full-page warning: say so before they do.
    if (validTo.getTime() < Date.now()) this.#logger.warn(`the certificate in ${this.#files.certFile} expired on ${validTo.toISOString()}; browsers will refuse it`);
  }
}

function failure(variable: string, detail: string): ConfigError {
  return new ConfigError(`invalid configuration:\n  ${variable}: ${detail}`);
}

function unreadable(variable: string, file: string, error: unknown): ConfigError {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied for this user' : code === 'EISDIR' ? 'it is a directory' : String(error);
  return failure(variable, `cannot read ${file} (${why})`);
}

function readOrFail(file: string, variable: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw unreadable(variable, file, error);
  }
}

async function readAsync(file: string, variable: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw unreadable(variable, file, error);
  }
}

/** The certificate (the first of a chain) and the key parse, belong together and make a TLS context. */
function check(files: CertificateFiles, cert: Buffer, key: Buffer): Checked {
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(cert);
  } catch {
    throw failure('TLS_CERT', `${files.certFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw failure('TLS_KEY', `${files.keyFile} holds no PEM private key, or one protected by a passphrase (not supported)`);
  }
  if (!leaf.checkPrivateKey(privateKey)) {
    throw failure('TLS_KEY', `${files.keyFile} is not the key of the first certificate in ${files.certFile} (the server's own comes first, then its chain)`);
  }
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    // E.g. a chain whose later certificates do not parse; OpenSSL's reason is the best there is.
    throw failure('TLS_CERT', `${files.certFile} with ${files.keyFile} is not usable: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { cert, key, names: leaf.subjectAltName ?? leaf.subject, validTo: leaf.validToDate };
}
