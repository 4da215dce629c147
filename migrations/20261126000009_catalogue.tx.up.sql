-- The product catalogue: an artisan's products, their photos, their listings on e-commerce
-- platforms, and the state-wide settings (the price tolerance). A product's district is its
-- artisan's: every read joins artisans and filters artisans.district, so a moved artisan
-- takes the catalogue along with no copy to keep in step. Prices are integer paise.
CREATE TABLE products (
	id {{.ID}},
	artisan_id BIGINT NOT NULL REFERENCES artisans (id),
	title_en TEXT NOT NULL,
	title_hi TEXT NOT NULL DEFAULT '',
	craft TEXT NOT NULL REFERENCES crafts (slug),
	description TEXT NOT NULL DEFAULT '',
	material TEXT NOT NULL DEFAULT '',
	dimensions TEXT NOT NULL DEFAULT '',
	weight_grams BIGINT NOT NULL DEFAULT 0 CHECK (weight_grams >= 0),
	hsn_code TEXT NOT NULL DEFAULT '',
	gi_tag BOOLEAN NOT NULL DEFAULT FALSE,
	handloom_mark BOOLEAN NOT NULL DEFAULT FALSE,
	khadi_mark BOOLEAN NOT NULL DEFAULT FALSE,
	store_price_paise BIGINT NOT NULL CHECK (store_price_paise > 0),
	version BIGINT NOT NULL DEFAULT 1,
	created_at {{.Timestamp}} NOT NULL,
	updated_at {{.Timestamp}} NOT NULL
);
--bun:split
CREATE INDEX products_artisan_idx ON products (artisan_id, id);
--bun:split
CREATE INDEX products_craft_idx ON products (craft);
--bun:split
-- A photo's file lives under the data folder, named by storage_key (random). Its pixel size,
-- sampled mean brightness (0-255) and quality flags (comma-separated: too_small, too_dark)
-- are computed once on upload.
CREATE TABLE product_photos (
	id {{.ID}},
	product_id BIGINT NOT NULL REFERENCES products (id),
	storage_key TEXT NOT NULL UNIQUE,
	file_name TEXT NOT NULL,
	content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
	size_bytes BIGINT NOT NULL CHECK (size_bytes > 0),
	width INTEGER NOT NULL CHECK (width > 0),
	height INTEGER NOT NULL CHECK (height > 0),
	mean_brightness INTEGER NOT NULL,
	quality_flags TEXT NOT NULL DEFAULT '',
	uploaded_at {{.Timestamp}} NOT NULL,
	uploaded_by BIGINT
);
--bun:split
CREATE INDEX product_photos_product_idx ON product_photos (product_id, id);
--bun:split
-- A product on a platform: the platform's product id or the listing's address, the price
-- asked there, and when an official last looked.
CREATE TABLE listings (
	id {{.ID}},
	product_id BIGINT NOT NULL REFERENCES products (id),
	platform TEXT NOT NULL REFERENCES platforms (slug),
	platform_product_id TEXT NOT NULL DEFAULT '',
	url TEXT NOT NULL DEFAULT '',
	listed_price_paise BIGINT NOT NULL CHECK (listed_price_paise > 0),
	status TEXT NOT NULL CHECK (status IN ('draft', 'live', 'paused', 'removed')),
	last_checked_on TEXT NOT NULL DEFAULT '',
	version BIGINT NOT NULL DEFAULT 1,
	created_at {{.Timestamp}} NOT NULL,
	updated_at {{.Timestamp}} NOT NULL,
	UNIQUE (product_id, platform)
);
--bun:split
CREATE INDEX listings_platform_idx ON listings (platform, status);
--bun:split
-- The price-flag list of a district reads artisans by district, their products, then the
-- listings: artisans_district_created_idx, products_artisan_idx and the unique
-- (product_id, platform) index above serve each step.
CREATE TABLE settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL,
	version BIGINT NOT NULL DEFAULT 1,
	updated_at {{.Timestamp}} NOT NULL,
	updated_by BIGINT
);
--bun:split
INSERT INTO settings (key, value, version, updated_at) VALUES ('price_tolerance_percent', '10', 1, CURRENT_TIMESTAMP);
