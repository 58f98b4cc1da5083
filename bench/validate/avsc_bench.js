// avsc side of the validate benchmark.
// Usage: node avsc_bench.js json|wire SCHEMA.avsc INPUT
// json: JSON.parse then type.isValid per line. wire: base64 decode, check the 5-byte header,
// type.fromBuffer (which refuses trailing bytes). Prints "N valid, M invalid" on stderr.
'use strict';
const fs = require('fs');
const avro = require('avsc');

const [mode, schemaPath, inputPath] = process.argv.slice(2);
const type = avro.Type.forSchema(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));

let valid = 0;
let invalid = 0;
function onLine(line) {
  let ok;
  if (mode === 'json') {
    try {
      ok = type.isValid(JSON.parse(line));
    } catch (e) {
      ok = false;
    }
  } else {
    try {
      const rec = Buffer.from(line, 'base64');
      if (rec.length < 5 || rec[0] !== 0) throw new Error('bad header');
      type.fromBuffer(rec.subarray(5));
      ok = true;
    } catch (e) {
      ok = false;
    }
  }
  if (ok) valid++; else invalid++;
}

// Streams the file in chunks and splits lines by hand: readline is the slow part otherwise,
// and memory stays flat.
const fd = fs.openSync(inputPath, 'r');
const chunk = Buffer.allocUnsafe(1 << 20);
let rest = '';
for (;;) {
  const n = fs.readSync(fd, chunk, 0, chunk.length, null);
  if (n === 0) break;
  const text = rest + chunk.toString('utf8', 0, n);
  let start = 0;
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
    onLine(text.slice(start, nl));
    start = nl + 1;
  }
  rest = text.slice(start);
}
if (rest.length > 0) onLine(rest);
process.stderr.write(`${valid} valid, ${invalid} invalid\n`);
