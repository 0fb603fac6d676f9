/**
 * A tiny ZIP reader, enough to read one part of a DOCX (stored or deflated entries, no
 * ZIP64, no encryption). The verifier must open exports without an unzip binary, and the
 * project has no zip library.
 */
import { inflateRawSync } from 'node:zlib';

/** Thrown when the bytes are not a ZIP this reader understands. */
export class ZipError extends Error {
  override name = 'ZipError';
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The names of the entries, in central directory order. */
export function zipEntries(zip: Buffer): string[] {
  return centralDirectory(zip).map((e) => e.name);
}

/**
 * The content of the entry `name`, or undefined if the archive has none. With `maxBytes`, an
 * entry that would be larger throws a ZipError before it is inflated past that size (a file
 * from outside may be a zip bomb).
 */
export function readZipEntry(zip: Buffer, name: string, { maxBytes }: { maxBytes?: number } = {}): Buffer | undefined {
  const entry = centralDirectory(zip).find((e) => e.name === name);
  if (!entry) return undefined;
  const at = entry.localOffset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL) throw new ZipError(`bad local header for ${name}`);
  // Sizes come from the central directory: the local header's may be zero (data descriptor).
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (data.length !== entry.compressedSize) throw new ZipError(`truncated entry ${name}`);
  const tooLarge = (): ZipError => new ZipError(`entry ${name} is larger than ${maxBytes} bytes`);
  if (entry.method === 0) {
    if (maxBytes !== undefined && data.length > maxBytes) throw tooLarge();
    return Buffer.from(data);
  }
  if (entry.method === 8) {
    if (maxBytes === undefined) return inflateRawSync(data);
    try {
      return inflateRawSync(data, { maxOutputLength: Math.max(1, maxBytes) });
    } catch (error) {
      // zlib stops at maxOutputLength with ERR_BUFFER_TOO_LARGE, a RangeError.
      if (error instanceof RangeError) throw tooLarge();
      throw error;
    }
  }
  throw new ZipError(`entry ${name} uses unsupported compression method ${entry.method}`);
}

type CentralEntry = { name: string; method: number; compressedSize: number; localOffset: number };

function centralDirectory(zip: Buffer): CentralEntry[] {
  // The end record sits in the last 22 bytes plus a comment of up to 65535 bytes.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i -= 1) {
    if (zip.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipError('not a zip file (no end of central directory)');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: CentralEntry[] = [];
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL) throw new ZipError('bad central directory');
    const nameLength = zip.readUInt16LE(at + 28);
    entries.push({
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      localOffset: zip.readUInt32LE(at + 42),
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}
