DROP TABLE sales_months;
