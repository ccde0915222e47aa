#!/usr/bin/env bash
# Usage: scripts/needs-package.sh python|java|go
# Condition of package:python, package:java and package:go. The test task packages them for
# the consumer projects, then `build` packages every language again outside CI (package-all).
# Exits 0 (package) unless dist/ already holds this language's package of the current version
# built after the last compile (.jsii), in which case it says so and exits 1 (skip).
set -euo pipefail
cd "$(dirname "$0")/.."
language=${1:?usage: scripts/needs-package.sh python|java|go}

artifact=$(LANGUAGE="$language" node -e '
  const pkg = require("./package.json");
  const { version, jsii: { targets } } = pkg;
  const fs = require("fs");
  switch (process.env.LANGUAGE) {
    case "python":
      console.log(`dist/python/${targets.python.distName.replace(/-/g, "_")}-${version}-py3-none-any.whl`);
      break;
    case "java": {
      const { groupId, artifactId } = targets.java.maven;
      console.log(`dist/java/${groupId.replace(/\./g, "/")}/${artifactId}/${version}/${artifactId}-${version}.jar`);
      break;
    }
    case "go": {
      // jsii-pacmak writes the module into dist/go/<package>/, with its version in a file
      const dirs = fs.existsSync("dist/go") ? fs.readdirSync("dist/go") : [];
      const built = dirs.map(d => `dist/go/${d}/version`)
        .find(f => fs.existsSync(f) && fs.readFileSync(f, "utf8").trim() === version);
      console.log(built ?? "");
      break;
    }
    default:
      console.error(`needs-package: unknown language ${process.env.LANGUAGE}`);
      process.exit(2);
  }') || { echo "needs-package: cannot tell whether dist holds the $language package: packaging it" >&2; exit 0; }

if [ -f .jsii ] && [ -n "$artifact" ] && [ "$artifact" -nt .jsii ]; then
  echo "package:$language: $artifact was built from the current compile; not packaging it again"
  exit 1
fi
exit 0
