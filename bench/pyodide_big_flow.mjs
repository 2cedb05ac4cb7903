// Time a Python snippet in real Pyodide under Node.js: node pyodide_big_flow.mjs PYTHON_ZIP CODE_FILE
// Prints the JSON the snippet prints last.
import { readFileSync } from "node:fs";
import { loadPyodide } from "pyodide";

const [zipPath, codePath] = process.argv.slice(2);
const pyodide = await loadPyodide();
pyodide.unpackArchive(new Uint8Array(readFileSync(zipPath)), "zip", { extractDir: "/home/pyodide/lib" });
pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide/lib')");
let out = "";
pyodide.setStdout({ batched: (line) => { out = line; } });
pyodide.runPython(readFileSync(codePath, "utf-8"));
process.stdout.write(out + "\n");
