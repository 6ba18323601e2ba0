-- The read-only role the compliance audit connects as. It reads the catalog (which every role
-- can) and needs no table rights, except SELECT on storage.buckets, whose rows say which buckets are
-- public (HD5011); SELECT/USAGE on public are granted so the same role can be used for spot checks. default_transaction_read_only makes any write fail, belt and braces with the
-- audit's own READ ONLY transaction.
-- Replace the password, or use your platform's secret store; psql: \set auditor_password '...'
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hotdash_auditor') THEN
    CREATE ROLE hotdash_auditor LOGIN;
  END IF;
END
$$;
ALTER ROLE hotdash_auditor PASSWORD :'auditor_password';
ALTER ROLE hotdash_auditor SET default_transaction_read_only = on;
ALTER ROLE hotdash_auditor SET statement_timeout = '30s';
GRANT USAGE ON SCHEMA public TO hotdash_auditor;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO hotdash_auditor;
-- Buckets are rows, not catalog data: without this the audit reports that it could not judge them.
GRANT USAGE ON SCHEMA storage TO hotdash_auditor;
GRANT SELECT ON storage.buckets TO hotdash_auditor;
