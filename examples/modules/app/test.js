const assert = require("node:assert");
const total = require("./index.js");
assert.strictEqual(total([]), 0);
assert.strictEqual(total([250, 125]), 375);
console.log("2 tests passed");
