// The first worker's boot downloads Pyodide and the build's memory snapshot (about 20 MB);
// this counts the bytes as they stream in, so the page can show honest progress, and fetches
// files with their SRI hash when Pyodide comes from a CDN. Later workers start from what the
// first one downloaded, which the page keeps, and download nothing worth counting.

import { toPage } from "./protocol.js";

const BIG_FILES = ["pyodide.asm.wasm", "python_stdlib.zip"];

export class DownloadMeter {
  constructor(send, more = []) {
    this.send = send;
    this.loaded = 0;
    this.total = 0;
    this.waitingFor = new Set([...BIG_FILES, ...more]); // the big downloads (Pyodide's and ours): then it starts up
    this.step = "Downloading Python…";
    this.lastPost = 0;
  }

  post(force = false) {
    const now = performance.now();
    if (!force && now - this.lastPost < 100) return;
    this.lastPost = now;
    this.send(toPage.progress(this.step, this.loaded, this.total));
  }

  setStep(step) {
    this.step = step;
    this.post(true);
  }

  /**
   * Count a response's bytes as they arrive. The count reads a clone (a tee of the
   * same download, not a second request), so the original body stays native and
   * WebAssembly.instantiateStreaming compiles it off this thread as usual.
   */
  count(response, name = "") {
    if (!response.ok || !response.body) return response;
    const encoded = response.headers.get("Content-Encoding");
    const length = Number(response.headers.get("Content-Length"));
    // With Content-Encoding the length is the compressed size, but the body we count is not.
    if (!encoded && length > 0) this.total += length;
    this.drain(response.clone().body.getReader(), Boolean(encoded), name);
    return response;
  }

  async drain(reader, encoded, name) {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        this.loaded += value.byteLength;
        if (encoded) this.total = Math.max(this.total, this.loaded);
        this.post();
      }
    } catch {
      /* the download failed: Pyodide reports that itself */
    }
    if (this.waitingFor.delete(name) && this.waitingFor.size === 0) this.setStep("Starting Python…");
  }

  /**
   * While Pyodide boots, its fetches of the big files go through the meter, and a file
   * with a known SRI hash is fetched with `integrity`. A failed download is reported
   * through `fail` (Pyodide would otherwise wait forever). Returns a function that undoes this.
   */
  watch(integrity, fail) {
    const original = self.fetch;
    self.fetch = (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      const file = url.slice(url.lastIndexOf("/") + 1);
      const options = integrity[file] && !(input instanceof Request) ? { ...init, integrity: integrity[file] } : init;
      const promise = original(input, options);
      if (!BIG_FILES.includes(file)) return promise;
      return promise.then(
        (response) => {
          if (!response.ok) fail(`could not download ${file} (HTTP ${response.status})`);
          return this.count(response, file);
        },
        (err) => {
          fail(`could not download ${file} (${(err && err.message) || err})`);
          throw err;
        },
      );
    };
    return () => {
      self.fetch = original;
    };
  }
}
