DROP TABLE settings;
--bun:split
DROP TABLE listings;
--bun:split
DROP TABLE product_photos;
--bun:split
DROP TABLE products;
