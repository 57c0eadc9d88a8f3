#!/usr/bin/env bash
# Validate every HTML file under a folder with the Nu Html Checker (npm vnu-jar).
#   tests/browser/vnu.sh <output-dir>
# Exit 0 when there are no errors, 1 on validation errors, 2 on bad usage or
# missing tools. Needs `java` (17+) and `npm ci --ignore-scripts` run here.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/node_modules/vnu-jar/build/dist/vnu.jar"

if [[ $# -ne 1 ]]; then
  echo "usage: $0 <output-dir>" >&2
  exit 2
fi
dir="$1"
if [[ ! -d "$dir" ]]; then
  echo "vnu.sh: no such folder: $dir" >&2
  exit 2
fi
if [[ ! -f "$jar" ]]; then
  echo "vnu.sh: $jar is missing; run 'npm ci --ignore-scripts' in $here" >&2
  exit 2
fi
if ! command -v java >/dev/null 2>&1; then
  echo "vnu.sh: java not found (apt-get install default-jre-headless)" >&2
  exit 2
fi

count="$(find "$dir" -type f \( -name '*.html' -o -name '*.htm' \) | wc -l)"
if [[ "$count" -eq 0 ]]; then
  echo "vnu.sh: no .html files under $dir" >&2
  exit 1
fi

start=$(date +%s)
status=0
# -Xss: the checker recurses deeply on big tables; the default stack can overflow.
java -Xss4m -jar "$jar" --errors-only --skip-non-html "$dir" 2>&1 || status=$?
end=$(date +%s)

if [[ $status -eq 0 ]]; then
  echo "vnu: $count HTML file(s) valid ($((end - start)) s)"
else
  echo "vnu: HTML validation FAILED for files under $dir ($count file(s) checked, $((end - start)) s)"
  exit 1
fi
