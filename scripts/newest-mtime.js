// The newest modification time under a directory: `npm start` (scripts/start.js) and the console's
// build (scripts/build-console.js) rebuild only when a source is newer than their last build.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/**
 * The newest mtime (ms) of any file under `dir`, node_modules left out, and any path `skip`
 * answers true for (a directory skipped is not entered).
 */
function newestMtime(dir, skip = () => false) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.name === 'node_modules' || skip(file)) continue;
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(file, skip) : fs.statSync(file).mtimeMs);
  }
  return newest;
}

module.exports = { newestMtime };
