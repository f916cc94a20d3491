ALTER TABLE orders ADD COLUMN discount_code TEXT;
