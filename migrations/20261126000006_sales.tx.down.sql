DROP TABLE month_closes;
--bun:split
DROP TABLE sales;
--bun:split
DROP TABLE stores;
