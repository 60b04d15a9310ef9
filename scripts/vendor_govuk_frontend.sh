#!/usr/bin/env bash
# Rebuild static/govuk/ from a pinned govuk-frontend release (needs Node.js and npm).
#
# The council's own look: the stylesheet is compiled with Arial as the font, so no GDS
# Transport font is referenced or shipped, and the crown images are left out.
# Run from the repository root: scripts/vendor_govuk_frontend.sh
set -euo pipefail
VERSION=6.6.0
SASS_VERSION=1.108.2
out=static/govuk
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm init -y >/dev/null \
  && npm install --no-audit --no-fund "govuk-frontend@$VERSION" "sass@$SASS_VERSION" >/dev/null)

cat > "$work/build.scss" <<'SCSS'
@use "govuk-frontend/dist/govuk" as * with (
  $govuk-font-family: (arial, sans-serif),
  $govuk-assets-path: "../assets/"
);
SCSS
(cd "$work" && npx sass --load-path=node_modules --style=compressed --no-source-map \
  build.scss govuk-frontend.min.css)

# The footer's crest rules are the only references to crown artwork; we never use it.
python3 - "$work/govuk-frontend.min.css" <<'PY'
import re, sys
path = sys.argv[1]
css = open(path, encoding="utf-8").read()
css = re.sub(r"\.govuk-footer__copyright-logo::before\{[^}]*\}", "", css)
css = re.sub(r"@supports\([^{]*\)\{\}", "", css)  # blocks left empty by the line above
assert "govuk-crest" not in css and "GDS Transport" not in css
open(path, "w", encoding="utf-8").write(css)
PY

rm -rf "$out"
mkdir -p "$out"
cp "$work/govuk-frontend.min.css" "$out/"
cp "$work/node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js" "$out/"
printf '%s\n' "$VERSION" > "$out/VERSION"
cat > "$out/LICENSE.txt" <<'TXT'
govuk-frontend (https://github.com/alphagov/govuk-frontend), version in VERSION.

The MIT License (MIT)

Copyright (C) 2018 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.

The stylesheet here was compiled from the release's Sass with Arial as the font
family (scripts/vendor_govuk_frontend.sh). The GDS Transport font files and the
crown artwork are not included: they are for GOV.UK services only.
TXT
echo "static/govuk now holds govuk-frontend $VERSION"
