-- A deep page (offset) is skipped in the (created, id) index alone, and a list's page ids come from index-only
-- walks, which stay index-only only on pages the visibility map marks all-visible. By default autovacuum visits a
-- table after a fifth of it was inserted or changed, which on a year of actions leaves some 200,000 rows whose index
-- entries each cost a heap visit; these tables are vacuumed after a fiftieth instead (a vacuum skips the pages
-- already all-visible, so each visit stays short).
ALTER TABLE action SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02);
ALTER TABLE workflow_instance SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02);
