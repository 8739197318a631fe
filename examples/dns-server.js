// A DNS server on loopback for the walk-through: `node examples/dns-server.js '{"contoso.cn":{"A":["47.98.10.20"]}}'`
// prints `127.0.0.1:PORT` (what ICP_DNS_SERVERS takes) and answers until it is stopped. It is the
// test suite's server (test/support/dns-server.ts), compiled here on the fly by TypeScript.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const ts = require('typescript');

const file = path.resolve(__dirname, '../test/support/dns-server.ts');
const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
  compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
});
const compiled = new Module(file, module);
compiled.filename = file;
compiled.paths = Module._nodeModulePaths(path.dirname(file));
compiled._compile(outputText, file);

compiled.exports.startDnsServer(JSON.parse(process.argv[2] || '{}')).then((server) => {
  console.log(server.address);
  const stop = () => server.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
});
