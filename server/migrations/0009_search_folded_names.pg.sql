-- Nothing to do on PostgreSQL: its trigram index is on name_key already (0002's twin).
SELECT 1;
