'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { quote, parseItems } = require('../cart');

test('adds prices and tax', () => {
  assert.deepEqual(quote([{ sku: 'espresso', qty: 2 }]), { subtotal: 700, discount: 0, tax: 56, total: 756 });
});

test('applies a discount code before tax', () => {
  assert.deepEqual(quote([{ sku: 'latte', qty: 2 }], 'WELCOME10'), { subtotal: 900, discount: 90, tax: 65, total: 875 });
});

test('rejects unknown products, codes and bad quantities', () => {
  assert.throws(() => quote([{ sku: 'tea', qty: 1 }]), /unknown product: tea/);
  assert.throws(() => quote([{ sku: 'latte', qty: 1 }], 'FREE'), /unknown discount code/);
  assert.throws(() => quote([{ sku: 'latte', qty: 0 }]), /bad quantity/);
});

test('parses items from a query string', () => {
  assert.deepEqual(parseItems('espresso:2,croissant'), [{ sku: 'espresso', qty: 2 }, { sku: 'croissant', qty: 1 }]);
  assert.deepEqual(parseItems(''), []);
});
