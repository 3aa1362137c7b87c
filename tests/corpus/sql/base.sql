CREATE TABLE unit (id TEXT PRIMARY KEY, nama TEXT);
CREATE TABLE layanan (id TEXT PRIMARY KEY, unit_id TEXT, nama TEXT);
CREATE TABLE arsip_lama (id TEXT, catatan TEXT);
INSERT INTO unit VALUES ('U1', 'Disdukcapil');
INSERT INTO layanan VALUES ('L1', 'U1', 'KTP'), ('L2', 'U1', 'KK');
INSERT INTO arsip_lama VALUES ('X1', 'lama');
