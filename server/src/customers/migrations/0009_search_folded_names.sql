-- The trigram index holds each customer's case-folded name (name_key) instead of the name as
-- written: FTS5 folds only simple case, so a term folded by ICU ("strasse" for "Straße") missed
-- names that the sorted walk of the same search found. The index is rebuilt from the rows.
-- Nothing to do on PostgreSQL: its trigram index is on name_key already (0002).
-- sqlite:
INSERT INTO customers_fts (customers_fts) VALUES ('delete-all');
INSERT INTO customers_fts (rowid, tenant_id, name, email, phone)
SELECT id, tenant_id, name_key, email, phone FROM customers;
