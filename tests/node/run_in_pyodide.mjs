// Run Python files through playground/runner.py in real Pyodide under Node.js.
// Usage: node run_in_pyodide.mjs PYTHON_ZIP FILE.py [FILE.py ...]
// Prints one JSON object: {"<file name>": {"output": ..., "ok": ..., "error": ...}, "_pyodide": version}.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { loadPyodide } from "pyodide";

const [zipPath, ...files] = process.argv.slice(2);
try {
  const pyodide = await loadPyodide();
  pyodide.unpackArchive(new Uint8Array(readFileSync(zipPath)), "zip", { extractDir: "/home/pyodide/lib" });
  pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide/lib')");
  const runner = pyodide.pyimport("playground.runner");
  const results = { _pyodide: pyodide.version, _python: pyodide.runPython("import sys; sys.version.split()[0]") };
  for (const file of files) {
    const name = basename(file);
    const result = runner.run.callKwargs(readFileSync(file, "utf-8"), { filename: name, mode: "deterministic" });
    results[name] = { output: result.output, ok: result.ok, error: result.error ? result.error.toJs({ dict_converter: Object.fromEntries }) : null };
    result.destroy();
  }
  process.stdout.write(JSON.stringify(results));
} catch (err) {
  // An uncaught Python error would print Pyodide's whole minified loader; print the message only.
  process.stderr.write(String(err && err.message || err) + "\n");
  process.exit(1);
}
