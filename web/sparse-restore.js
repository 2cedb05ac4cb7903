// How a worker restores Python's memory from a snapshot without making its zero pages its own
// (web/worker.js installs it for the boot). Kept apart so that Node can test it on its own.

/**
 * Pyodide restores a snapshot by copying it whole over Python's memory, which makes every page of that
 * memory the worker's own, the 14 MB of zeros included (free heap, an unused stack). Fresh memory reads as
 * zeros and costs nothing until written: this copy leaves a block alone where the snapshot and the memory
 * are both zeros, so an idle worker holds only the snapshot's other pages. It takes over Pyodide's one
 * copy of the snapshot (`HEAP8.set`), told apart by the array it reads; returns the function that undoes it.
 */
export function restoreSparsely(isSnapshot) {
  const own = Object.hasOwn(Int8Array.prototype, "set");
  const original = Int8Array.prototype.set;
  Int8Array.prototype.set = function set(source, offset = 0) {
    if (offset !== 0 || !isSnapshot(source) || source.length > this.length || source.byteOffset % 4 || this.byteOffset % 4) {
      return original.call(this, source, offset);
    }
    const target = new Uint8Array(this.buffer, this.byteOffset, source.length);
    const words = (array) => new Uint32Array(array.buffer, array.byteOffset, array.length >>> 2);
    const [from, to] = [words(source), words(target)];
    for (let start = 0; start < source.length; start += RESTORE_BLOCK) {
      const end = Math.min(start + RESTORE_BLOCK, source.length);
      if (end % 4 || !zeros(from, start >>> 2, end >>> 2)) target.set(source.subarray(start, end), start);
      else if (!zeros(to, start >>> 2, end >>> 2)) target.fill(0, start, end);
    }
    return undefined;
  };
  return () => {
    if (own) Int8Array.prototype.set = original;
    else delete Int8Array.prototype.set; // it was TypedArray's, inherited
  };
}

const RESTORE_BLOCK = 64 * 1024; // bytes: one WebAssembly page

function zeros(words, from, to) {
  for (let i = from; i < to; i++) if (words[i] !== 0) return false;
  return true;
}
