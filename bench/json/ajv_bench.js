// ajv on the bench's events: each line parsed with JSON.parse and checked by one compiled
// validator (Ajv2020, ajv-formats for uuid, email and date-time). Prints "N valid, M invalid"
// on stderr, as `sr validate` does. Usage: node ajv_bench.js SCHEMA EVENTS
'use strict';
const fs = require('fs');
const readline = require('readline');
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;

const [schemaFile, eventsFile] = process.argv.slice(2);
const ajv = new Ajv2020({ allErrors: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));
let valid = 0;
let invalid = 0;
const rl = readline.createInterface({ input: fs.createReadStream(eventsFile), crlfDelay: Infinity });
rl.on('line', (line) => {
  if (validate(JSON.parse(line))) valid += 1; else invalid += 1;
});
rl.on('close', () => console.error(`${valid} valid, ${invalid} invalid`));
