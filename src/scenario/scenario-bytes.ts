/**
 * From a file to scenario text: read at most {@link INPUT_LIMITS.maxFileBytes} (a device such as `/dev/zero` never
 * ends), then refuse what is not UTF-8 text — UTF-16 and UTF-32 (Windows editors save these; decoded as UTF-8 they
 * read as garbage with a NUL between letters), binary files, and control characters, which YAML forbids and which
 * would otherwise reach the terminal inside error messages.
 */
import { open } from 'node:fs/promises';
import { INPUT_LIMITS, ScenarioInputError, atPosition } from './input-limits.js';
import type { TextPosition } from './input-limits.js';

const MIB = 1024 * 1024;

function sizeText(bytes: number): string {
  return bytes >= MIB ? `${Number((bytes / MIB).toFixed(1))} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}

function tooLarge(path: string, bytes?: number): ScenarioInputError {
  const size = bytes === undefined ? '' : ` (${bytes.toLocaleString('en-US')} bytes)`;
  return new ScenarioInputError(
    `file is larger than ${sizeText(INPUT_LIMITS.maxFileBytes)}${size}; a scenario is a small YAML or JSON text file`,
    path,
  );
}

function readFailure(path: string, error: unknown): ScenarioInputError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EISDIR'
        ? 'it is a directory'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : (error instanceof Error ? error.message : String(error));
  return new ScenarioInputError(`cannot read ${path}: ${reason}`, path);
}

/**
 * Reads a scenario file's bytes, refusing one larger than {@link INPUT_LIMITS.maxFileBytes} without reading past the
 * limit (a pipe or a device has no size to check first).
 *
 * @throws ScenarioInputError when the file cannot be read or is too large.
 */
export async function readScenarioBytes(path: string): Promise<Buffer> {
  const limit = INPUT_LIMITS.maxFileBytes;
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw readFailure(path, error);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw readFailure(path, Object.assign(new Error('directory'), { code: 'EISDIR' }));
    if (stat.isFile() && stat.size > limit) throw tooLarge(path, stat.size);
    const buffer = Buffer.alloc(limit + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > limit) throw tooLarge(path);
    return buffer.subarray(0, filled);
  } catch (error) {
    throw error instanceof ScenarioInputError ? error : readFailure(path, error);
  } finally {
    await handle.close();
  }
}

function positionIn(text: string, index: number): TextPosition {
  const before = text.slice(0, index);
  return { line: before.split('\n').length, column: index - before.lastIndexOf('\n') };
}

/** UTF-16 without a byte order mark: ASCII text leaves a NUL in every other byte, all on one side. */
function looksLikeUtf16(bytes: Buffer): boolean {
  const sample = bytes.subarray(0, Math.min(bytes.length, 1024) & ~1);
  if (sample.length < 4) return false;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] !== 0) continue;
    if (i % 2 === 0) evenNuls++;
    else oddNuls++;
  }
  const half = sample.length / 2;
  return (evenNuls >= half * 0.3 && oddNuls <= half * 0.05) || (oddNuls >= half * 0.3 && evenNuls <= half * 0.05);
}

/** The offset of the first byte that is not part of well-formed UTF-8: where decoding and re-encoding first differ. */
function firstInvalidUtf8(bytes: Buffer, decoded: string): number {
  const roundTrip = Buffer.from(decoded, 'utf8');
  let i = 0;
  while (i < bytes.length && bytes[i] === roundTrip[i]) i++;
  return i;
}

// YAML 1.2 allows tab, LF, CR, NEL and printable characters only (spec 5.1, c-printable). Matching control
// characters is this pattern's purpose, hence the lint exception.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\uFFFE\uFFFF]/u;

/**
 * Decodes scenario bytes as UTF-8 text (a UTF-8 byte order mark is dropped).
 *
 * @throws ScenarioInputError for UTF-16 or UTF-32 text, binary data, malformed UTF-8 or a control character, each
 *   saying what the file is and, where it helps, the line and column.
 */
export function decodeScenarioText(bytes: Buffer, sourceName: string): string {
  const fail = (message: string, position?: TextPosition): never => {
    throw new ScenarioInputError(`${message}${atPosition(position)}`, sourceName, position);
  };
  const [b0, b1, b2, b3] = bytes;
  if ((b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) || (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff)) {
    fail('file is UTF-32; save it as UTF-8');
  }
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff) || looksLikeUtf16(bytes)) {
    fail('file is UTF-16; save it as UTF-8');
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) fail(`file is binary, not YAML or JSON text (a NUL byte at offset ${nul})`);
  const decoded = bytes.toString('utf8');
  if (decoded.includes('\uFFFD')) {
    const offset = firstInvalidUtf8(bytes, decoded);
    if (offset < bytes.length) {
      const prefix = bytes.subarray(0, offset).toString('utf8');
      const byte = `0x${(bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0')}`;
      fail(`file is not UTF-8 text (binary, or another encoding such as Latin-1): invalid byte ${byte}`, positionIn(prefix, prefix.length));
    }
  }
  const text = decoded.startsWith('\uFEFF') ? decoded.slice(1) : decoded;
  const control = CONTROL_CHARACTER.exec(text);
  if (control !== null) {
    const code = `U+${(control[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    fail(`file holds the control character ${code}; YAML and JSON text allows only printable characters, tabs and newlines`, positionIn(text, control.index));
  }
  return text;
}
