#!/usr/bin/env bash
# Usage: scripts/drift.sh   (npx projen drift; never part of the gate)
# Reports releases newer than what toolchain/versions.json and package.json pin, so a maintainer
# knows when to run `npx projen upgrade:toolchain` (or raise a pin by hand). Changes nothing, and
# never fails: a registry it cannot reach is reported as such.
cd "$(dirname "$0")/.."
pin() { node -p "require('./toolchain/versions.json')$1"; }
locked() { node -p "require('./package-lock.json').packages['node_modules/$1'].version"; }
highest() { node -e 'const v = [].concat(JSON.parse(require("fs").readFileSync(0, "utf8") || "[]"));
  const key = s => s.split(".").map(Number);
  v.sort((a, b) => { const [x, y] = [key(a), key(b)]; return x[0] - y[0] || x[1] - y[1] || x[2] - y[2]; });
  console.log(v.length ? v[v.length - 1] : "(registry not reached)");'; }
newest_npm() { npm view "$1" version --json 2>/dev/null | highest; }
newest_pip() { python3 -m pip index versions "$1" 2>/dev/null | sed -n 's/^[^(]*(\(.*\))$/\1/p' | head -1; }
row() { # what, pinned, newest
  local mark=""; [ "$2" != "$3" ] && mark="  <- newer"
  printf '%-42s %-16s %-16s%s\n' "$1" "$2" "$3" "$mark"
}
printf '%-42s %-16s %-16s\n' "what" "pinned" "newest"
row "aws-cdk-lib (newest recorded)" "$(pin .awsCdkLibNewest)" "$(newest_npm aws-cdk-lib)"
row "cdk-nag (2.x: 3.x needs aws-cdk-lib 2.257)" "$(locked cdk-nag)" "$(newest_npm 'cdk-nag@2')"
row "@aws-cdk/integ-runner" "$(locked @aws-cdk/integ-runner)" "$(newest_npm @aws-cdk/integ-runner)"
for major in $(node -p "Object.keys(require('./toolchain/versions.json').node).join(' ')"); do
  row "Node.js $major" "$(pin ".node['$major']")" "$(newest_npm "node@$major")"
done
newest_node=$(newest_npm node)
newest_even=$(( ${newest_node%%.*} - ${newest_node%%.*} % 2 ))
row "newest even (LTS line) Node.js major" "$(node -p "Math.max(...Object.keys(require('./toolchain/versions.json').node))")" "$newest_even"
row "moto" "$(pin .pip.moto)" "$(newest_pip moto)"
row "cfn-lint" "$(pin ".pip['cfn-lint']")" "$(newest_pip cfn-lint)"
exit 0
