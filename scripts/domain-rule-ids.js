#!/usr/bin/env node
/**
 * Regenerates libs/domain/src/domain-md-rule-ids.json from DOMAIN.md's rule table (the shared
 * copy beside the checkout, ../shared/DOMAIN.md, or the path given). The list is committed so the
 * coverage test does not depend on a file outside the repository; the test also compares it with
 * DOMAIN.md whenever that file is present, so a revision of DOMAIN.md cannot go unnoticed.
 */
const { readFileSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const source = resolve(process.argv[2] || join(__dirname, '..', '..', 'shared', 'DOMAIN.md'));
const rules = readFileSync(source, 'utf8').split(/^## Rules$/m)[1] ?? '';
const ids = [...rules.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
if (ids.length === 0) throw new Error(`no rule table under "## Rules" in ${source}`);
const target = join(__dirname, '..', 'libs', 'domain', 'src', 'domain-md-rule-ids.json');
writeFileSync(target, `${JSON.stringify(ids, null, 2)}\n`);
console.log(`${ids.length} rule ids from ${source} → ${target}`);
