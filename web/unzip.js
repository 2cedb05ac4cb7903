// A zip's files written into Pyodide's file system, read in JavaScript. Pyodide's own unpackArchive
// runs Python's zipfile and shutil, which took 40 ms of every worker's boot for our 130 files; this
// reads the central directory and copies each file, a few milliseconds. Stored entries (our Python:
// lessonbuild/assets.py stores them, the download is gzipped whole) are copied as they are;
// deflated ones (pytest.zip) are inflated with the browser's DecompressionStream.

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

/**
 * Write every file of the zip `data` (a Uint8Array) under `dir` in `FS` (Pyodide's Emscripten FS).
 * A zip that is not one, a name that leaves `dir`, or another compression method throws, naming it.
 */
export async function unzipInto(FS, data, dir) {
  const made = new Set(); // folders made already: most files share theirs
  const folder = (path) => {
    if (!made.has(path)) FS.mkdirTree(path);
    made.add(path);
  };
  for (const { name, method, body, size } of entries(data)) {
    if (name.endsWith("/")) {
      folder(`${dir}/${name.slice(0, -1)}`);
      continue;
    }
    const at = name.lastIndexOf("/");
    if (at > 0) folder(`${dir}/${name.slice(0, at)}`);
    FS.writeFile(`${dir}/${name}`, method === STORED ? body : await inflate(body, size, name));
  }
}

/** The zip's entries, from its central directory: {name, method, body (the bytes as stored), size}. */
export function* entries(data) {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const end = findEnd(view);
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const names = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (view.getUint32(at, true) !== DIRECTORY_ENTRY) throw new Error("a damaged zip: its directory ends early");
    const method = view.getUint16(at + 10, true);
    const stored = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = names.decode(data.subarray(at + 46, at + 46 + nameLength));
    at += 46 + skip;
    if (name.startsWith("/") || name.split("/").some((part) => part === "..")) throw new Error(`a zip entry outside its folder: ${name}`);
    if (method !== STORED && method !== DEFLATED) throw new Error(`a zip entry compressed in a way not read here (method ${method}): ${name}`);
    if (view.getUint32(local, true) !== LOCAL_HEADER) throw new Error(`a damaged zip: no header for ${name}`);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    yield { name, method, body: data.subarray(start, start + stored), size };
  }
}

/** Where the end-of-directory record starts (it is last, followed by a comment of at most 64 KB). */
function findEnd(view) {
  for (let at = view.byteLength - 22; at >= Math.max(0, view.byteLength - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === END_OF_DIRECTORY) return at;
  }
  throw new Error("not a zip: no end-of-directory record");
}

async function inflate(body, size, name) {
  const stream = new Blob([body]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  const out = new Uint8Array(await new Response(stream).arrayBuffer());
  if (out.length !== size) throw new Error(`a damaged zip: ${name} inflates to ${out.length} bytes, not ${size}`);
  return out;
}
