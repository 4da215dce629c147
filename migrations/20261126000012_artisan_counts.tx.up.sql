-- Recounts the roll-up of artisans per district and status from the registry itself.
-- artisan_counts (migration 2) is moved by every change in the change's transaction; a
-- database loaded by other means before (a restore of a partial dump, a bulk load, a
-- hand-made fix) gets its totals exact here, and app.ArtisanCountsDrift checks them since.
DELETE FROM artisan_counts;
--bun:split
INSERT INTO artisan_counts (district, status, n)
	SELECT district, status, COUNT(*) FROM artisans GROUP BY district, status;
