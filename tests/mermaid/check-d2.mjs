// node check-d2.mjs FILE...: compiles each file with D2 (its official WASM build, the
// compiler and the layout); exit 1 on any error.
import { readFileSync } from "node:fs";
import { D2 } from "@terrastruct/d2";
const d2 = new D2();
let failed = 0;
for (const file of process.argv.slice(2)) {
  try {
    const result = await d2.compile(readFileSync(file, "utf8"));
    console.log(`${file}: ${result.diagram.shapes.length} shapes`);
  } catch (e) {
    failed += 1;
    console.log(`${file}: ${e.message ?? e}`);
  }
}
process.exit(failed ? 1 : 0);
