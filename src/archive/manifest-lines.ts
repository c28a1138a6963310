/**
 * Streams the manifest entry as the layout docs/archive-format.md fixes: the head (parsed once,
 * bounded in size), then one entry record per line, then the closing lines. Memory holds one line
 * at a time, however many entries the archive has.
 */
import { StringDecoder } from 'node:string_decoder';
import { parseJson } from '../model/json.js';
import { integrityError } from './archive-errors.js';
import {
  checkManifestEntry,
  checkManifestHeader,
  ENTRIES_CLOSE_LINE,
  ENTRIES_OPEN_LINE,
  ENTRY_INDENT,
  type ManifestEntry,
  type ManifestHeader,
} from './manifest.js';

/** Most bytes the manifest head (everything before the entry list) may take. */
const MAX_HEAD_BYTES = 16 * 1024 * 1024;
/** Most bytes one line may take. */
const MAX_LINE_BYTES = 1024 * 1024;

/** Splits UTF-8 chunks into lines (without `\n`); the text after the last `\n` is the last line. */
export async function* splitLines(
  chunks: AsyncIterable<Buffer>,
  label: string,
): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of chunks) {
    const lines = (rest + decoder.write(chunk)).split('\n');
    rest = lines.pop()!;
    if (rest.length > MAX_LINE_BYTES)
      throw integrityError(label, `manifest has a line over ${MAX_LINE_BYTES} bytes`);
    yield* lines;
  }
  yield rest + decoder.end();
}

/** The parsed manifest: its head, then its entry records as they are read. */
export interface ManifestStream {
  header: ManifestHeader;
  entries: AsyncGenerator<ManifestEntry>;
}

/** Reads the manifest head and returns it with a generator over the entry records. */
export async function openManifest(
  chunks: AsyncIterable<Buffer>,
  label: string,
): Promise<ManifestStream> {
  const lines = splitLines(chunks, label);
  const head: string[] = [];
  let headBytes = 0;
  for (;;) {
    const next = await lines.next();
    if (next.done) throw layoutError(label, `it has no line ${JSON.stringify(ENTRIES_OPEN_LINE)}`);
    if (next.value === ENTRIES_OPEN_LINE) break;
    headBytes += next.value.length + 1;
    if (headBytes > MAX_HEAD_BYTES)
      throw layoutError(label, `its head is over ${MAX_HEAD_BYTES} bytes`);
    head.push(next.value);
  }
  let parsed;
  try {
    parsed = parseJson(`${head.join('\n')}\n"entries": []\n}`);
  } catch (error) {
    throw integrityError(
      label,
      `manifest does not parse as JSON (${(error as Error).message})`,
      undefined,
      error,
    );
  }
  return { header: checkManifestHeader(parsed, label), entries: readEntryLines(lines, label) };
}

async function* readEntryLines(
  lines: AsyncGenerator<string>,
  label: string,
): AsyncGenerator<ManifestEntry> {
  let index = 0;
  let expectMore = true;
  for (;;) {
    const next = await lines.next();
    if (next.done) throw layoutError(label, `it has no line ${JSON.stringify(ENTRIES_CLOSE_LINE)}`);
    const line = next.value;
    if (line === ENTRIES_CLOSE_LINE) {
      if (expectMore) throw layoutError(label, 'its entry list is empty or ends with a comma');
      break;
    }
    if (!expectMore) throw layoutError(label, `entry record ${index} is not followed by a comma`);
    if (!line.startsWith(`${ENTRY_INDENT}{`)) {
      throw layoutError(
        label,
        `line ${JSON.stringify(line.slice(0, 80))} in the entry list is not an entry record`,
      );
    }
    expectMore = line.endsWith(',');
    let value;
    try {
      value = parseJson(expectMore ? line.slice(0, -1) : line);
    } catch (error) {
      throw integrityError(
        label,
        `manifest entry record ${index + 1} does not parse as JSON (${(error as Error).message})`,
        undefined,
        error,
      );
    }
    yield checkManifestEntry(value, index, label);
    index++;
  }
  const tail: string[] = [];
  for await (const line of lines) {
    tail.push(line);
    if (tail.length > 2) break;
  }
  if (tail.length !== 2 || tail[0] !== '}' || tail[1] !== '') {
    throw layoutError(label, 'it does not end with "}" and a newline after the entry list');
  }
}

function layoutError(label: string, why: string): Error {
  return integrityError(label, `manifest is not laid out as calico-migrate writes it: ${why}`);
}
