// Time a Python snippet in real Pyodide under Node.js: node pyodide_big_flow.mjs PYTHON_ZIP CODE_FILE
// Prints the JSON the snippet prints last.
import { readFileSync } from "node:fs";
import { loadPyodide } from "pyodide";

const [zipPath, codePath] = process.argv.slice(2);
const pyodide = await loadPyodide();
// Into site-packages, which is on Python's path already (the page's worker uses a folder of its own).
const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
pyodide.unpackArchive(new Uint8Array(readFileSync(zipPath)), "zip", { extractDir: sitePackages });
let out = "";
pyodide.setStdout({ batched: (line) => { out = line; } });
pyodide.runPython(readFileSync(codePath, "utf-8"));
process.stdout.write(out + "\n");
