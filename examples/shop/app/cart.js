'use strict';

// Prices are in cents so that sums stay exact.
const CATALOG = { espresso: 350, latte: 450, croissant: 300 };
const DISCOUNT_CODES = { WELCOME10: 0.1 };
const TAX_RATE = 0.08;

// items: [{ sku, qty }]; code: an optional discount code.
function quote(items, code) {
  let subtotal = 0;
  for (const { sku, qty } of items) {
    const price = CATALOG[sku];
    if (price === undefined) throw new Error(`unknown product: ${sku}`);
    if (!Number.isInteger(qty) || qty < 1) throw new Error(`bad quantity for ${sku}: ${qty}`);
    subtotal += price * qty;
  }
  let discount = 0;
  if (code) {
    const rate = DISCOUNT_CODES[code];
    if (rate === undefined) throw new Error(`unknown discount code: ${code}`);
    discount = Math.round(subtotal * rate);
  }
  const tax = Math.round((subtotal - discount) * TAX_RATE);
  return { subtotal, discount, tax, total: subtotal - discount + tax };
}

// "espresso:2,latte:1" -> [{ sku: "espresso", qty: 2 }, { sku: "latte", qty: 1 }]
function parseItems(text) {
  return text.split(',').filter(Boolean).map((part) => {
    const [sku, qty = '1'] = part.split(':');
    return { sku, qty: Number(qty) };
  });
}

module.exports = { CATALOG, quote, parseItems };
